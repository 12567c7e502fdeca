import type { LogFn, Logger } from '@provisio/core';
import type { SalesforceEmulator } from '@provisio/emulators';
import { salesforceConnector } from '../src/index.js';
import { API_VERSION, ctx, expectNoSecrets, passwordAuth, rejectionOf, startEmulator, userPayload } from './salesforce-fixture.js';

/** A logger that keeps every line, so the test can search them all. */
function recordingLogger(lines: string[]): Logger {
  const log: LogFn = (first: string | object, message?: string) => {
    lines.push(typeof first === 'string' ? first : `${JSON.stringify(first)} ${message ?? ''}`);
  };
  const logger: Logger = { fatal: log, error: log, warn: log, info: log, debug: log, trace: log, child: () => logger };
  return logger;
}

describe('salesforce connector: secrets stay out of errors and logs', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ separateInstance: true });
  });
  afterAll(() => emulator.close());

  it('logs and throws nothing secret, whatever happens', async () => {
    const lines: string[] = [];
    const config = salesforceConnector.configSchema.parse({
      apiVersion: API_VERSION,
      tokenEndpoint: `${emulator.url}/services/oauth2/token`,
      domainName: emulator.url,
      auth: passwordAuth(),
    });
    const connector = await salesforceConnector.create(config, { ...ctx, logger: recordingLogger(lines) });
    const messages: string[] = [];
    await connector.createUser(userPayload(emulator));
    messages.push((await rejectionOf(connector.createUser(userPayload(emulator, { ProfileId: 'bad' })))).message);
    emulator.faults.expireTokens();
    await connector.findUser({ localId: 'x', attributes: { Username: 'nobody@provisio.example' } });
    emulator.faults.failNext(2, 401, { code: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    messages.push((await rejectionOf(connector.createUser(userPayload(emulator)))).message);
    messages.push((await connector.check()).message);

    const broken = await salesforceConnector.create(
      { ...config, auth: { ...passwordAuth(), password: 'Wr0ngPassword', flow: 'password' } } as typeof config,
      { ...ctx, logger: recordingLogger(lines) },
    );
    messages.push((await rejectionOf(broken.createUser(userPayload(emulator)))).message);
    messages.push((await broken.check()).message);

    expect(lines.length).toBeGreaterThan(0); // it did log (authenticated, instance_url over domainName)
    const everything = [...lines, ...messages].join('\n');
    expectNoSecrets(everything);
    expect(everything).not.toContain('Wr0ngPassword');
    expect(everything).not.toMatch(/00D\w{12,15}!/); // no access token
  });
});
