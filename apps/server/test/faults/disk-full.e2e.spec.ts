import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, startServe, type ServerProcess } from '../cli-harness.js';
import { manifestHead, writeManifestDir } from '../test-manifest.js';
import { deliveryReport, EXACTLY_ONCE, journalDeliveryReport, scim, userBody } from './fault-kit.js';

const SCIM_TOKEN = 'diskfull-inbound-token-2a8c55';
/** Largest file the server may write, in KiB (bash `ulimit -f`): room to start and take a few writes, not many. */
const FILE_LIMIT_KIB = 1536;

/** `provisio serve` under `ulimit -f`: every file it writes stops growing at the limit, as on a full disk (Node ignores SIGXFSZ, so writes fail with EFBIG). */
function serveWithFileLimit(
  manifestPath: string,
  cwd: string,
): Promise<{ url: string; output: () => string; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -f ${FILE_LIMIT_KIB} && exec "$0" "$1" serve --config "$2"`, process.execPath, cliPath, manifestPath],
      { cwd, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 30000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Provisio listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          output: () => output,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
            const code = await exited;
            clearTimeout(killer);
            return code;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

/**
 * The database cannot grow any more (disk full). SCIM writes get a clear 503 SCIM
 * error at once (no crash, no hang), reads keep working, and after a restart with
 * room again every write acknowledged before is there and reached the target once.
 */
describe('database that cannot be written (disk full)', () => {
  let limited: Awaited<ReturnType<typeof serveWithFileLimit>> | undefined;
  let restarted: ServerProcess | undefined;

  afterAll(async () => {
    await limited?.stop();
    await restarted?.stop();
  });

  it('answers 503 with a SCIM error and loses no acknowledged write', async () => {
    const { dir, manifestPath } = writeManifestDir(
      'provisio-diskfull-',
      (folder) => `${manifestHead({ logLevel: 'warn', sqlite: true, scimToken: SCIM_TOKEN })}connectors:
  - id: target
    type: memory
    config: { journal: ${JSON.stringify(join(folder, 'target.jsonl'))} }
    mapping: { userName: userName }
    pattern: { template: "{UN}" }
`,
    );
    const targetJournal = join(dir, 'target.jsonl');
    const server = await serveWithFileLimit(manifestPath, dir);
    limited = server;
    const acknowledged: string[] = [];
    let refusal: Awaited<ReturnType<typeof scim>> | undefined;
    let refusedName = '';
    for (let i = 0; i < 2000 && !refusal; i += 1) {
      const userName = `full${i}@example.com`;
      const started = Date.now();
      const answer = await scim(server.url, SCIM_TOKEN, 'POST', '/Users', userBody(userName, { title: 'x'.repeat(2000) }));
      expect(Date.now() - started).toBeLessThan(5000);
      if (answer.status === 201) acknowledged.push(userName);
      else {
        refusal = answer;
        refusedName = userName;
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(3);
    expect(refusal).toBeDefined();
    expect(refusal?.status).toBe(503);
    expect(refusal?.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    expect(String(refusal?.body.detail)).toMatch(/could not be stored.*(full|read-only)/i);
    expect(refusal?.headers.get('retry-after')).toMatch(/^\d+$/);

    // Still up, still answering: reads work, the next write is refused just as clearly.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const read = await scim(server.url, SCIM_TOKEN, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${acknowledged[0]}"`)}`);
    expect(read.body.totalResults).toBe(1);
    expect((await scim(server.url, SCIM_TOKEN, 'POST', '/Users', userBody('later@example.com'))).status).toBe(503);
    expect(server.output()).not.toMatch(/"level":60/); // nothing fatal
    await server.stop();
    limited = undefined;

    // Room again: everything acknowledged is there, the refused write is not, and each reached the target once.
    restarted = await startServe(['--config', manifestPath], { cwd: dir });
    const listed = await scim(restarted.url, SCIM_TOKEN, 'GET', '/Users?count=1000');
    const stored = (listed.body.Resources as { userName: string }[]).map((u) => u.userName);
    expect(deliveryReport(acknowledged, stored)).toEqual(EXACTLY_ONCE);
    expect(stored).not.toContain(refusedName);
    expect(await journalDeliveryReport(targetJournal, acknowledged)).toEqual(EXACTLY_ONCE);
  }, 90000);
});
