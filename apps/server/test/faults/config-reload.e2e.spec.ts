import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServerProcess } from '../cli-harness.js';
import { EXACTLY_ONCE, journal, journalDeliveryReport, scim, userBody, waitFor } from './fault-kit.js';

const OLD_TOKEN = 'reload-scim-token-old-0123456789';
const NEW_TOKEN = 'reload-scim-token-new-9876543210';

/**
 * `provisio serve` reloads its manifest on SIGHUP. Broken manifests (bad YAML, an
 * unknown type, a connector that cannot start, a change that needs a restart) are
 * rejected with a log line while the old configuration keeps serving; a good one
 * swaps the connectors while jobs are queued, and every accepted user still reaches
 * every target it was planned for exactly once.
 */
describe('config reload (SIGHUP)', () => {
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the running configuration on a broken manifest and swaps in a good one without losing queued jobs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-reload-'));
    const journalA = join(dir, 'a.jsonl');
    const journalB = join(dir, 'b.jsonl');
    const manifestPath = join(dir, 'provisio.config.yaml');
    const connector = (id: string, path: string, extra = '') => `  - id: ${id}
    type: memory
    concurrency: 1
    config: { journal: ${JSON.stringify(path)}, latencyMs: 40${extra} }
    mapping: { userName: userName }
    pattern: { template: "{UN}" }
`;
    const manifest = (token: string, connectors: string, server = 'server: { port: 0, logLevel: info }') => `${server}
store: { type: sqlite, path: data/provisio.db }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${token}" }] } } }
connectors:
${connectors}`;
    writeFileSync(manifestPath, manifest(OLD_TOKEN, connector('a', journalA)));
    server = await startServe(['--config', manifestPath], { cwd: dir });
    const running = server;
    const rejections = () => (running.output().match(/configuration reload rejected/g) ?? []).length;
    const hup = async (content: string, expectRejected: RegExp) => {
      const before = rejections();
      writeFileSync(manifestPath, content);
      running.child.kill('SIGHUP');
      await waitFor(`a rejection matching ${expectRejected}`, () => rejections() > before, 15000);
      const last =
        running
          .output()
          .split('\n')
          .filter((l) => l.includes('configuration reload rejected'))
          .at(-1) ?? '';
      expect(last).toMatch(expectRejected);
    };
    const accepted: string[] = [];
    const create = async (userName: string, token = OLD_TOKEN) => {
      const answer = await scim(running.url, token, 'POST', '/Users', userBody(userName));
      expect(answer.status).toBe(201);
      accepted.push(userName);
    };

    for (let i = 0; i < 5; i += 1) await create(`first${i}@example.com`);
    await waitFor('the first users in a', () => journal(journalA, 'createUser').length === 5);

    // 1. Not YAML at all.
    await hup('connectors: [ { id: a, type: memory\n', /problem/);
    // 2. Valid YAML, unknown connector type: the message names the field.
    await hup(manifest(OLD_TOKEN, connector('a', journalA) + `  - id: typo\n    type: salesforcee\n`), /connectors\[1\]\.type/);
    // 3. Validates, but a connector cannot be created (its journal is a folder).
    const folder = join(dir, 'not-a-file');
    mkdirSync(folder);
    await hup(manifest(OLD_TOKEN, connector('a', journalA) + connector('b', folder)), /connectors could not start.*connector b/);
    // 4. A change only a restart can apply.
    await hup(
      manifest(OLD_TOKEN, connector('a', journalA), 'server: { port: 0, logLevel: info, bodyLimit: 2mb }'),
      /server changed, which needs a restart/,
    );

    // The old configuration still serves: old token, connector a only, nothing reached b.
    await create('between@example.com');
    await waitFor('between@ in a', () => journal(journalA, 'createUser').some((l) => l.accountName === 'between@example.com'));
    expect(journal(journalB)).toEqual([]);
    expect(running.child.exitCode).toBeNull();

    // 5. A good manifest while a is still working through a queue: a new token, a new connector b.
    const queued: Promise<void>[] = [];
    for (let i = 0; i < 40; i += 1) queued.push(create(`queued${i}@example.com`));
    await Promise.all(queued);
    const deliveredBeforeReload = journal(journalA, 'createUser').length;
    expect(deliveredBeforeReload).toBeLessThan(accepted.length); // jobs are waiting (a takes 40 ms each, one at a time)
    writeFileSync(manifestPath, manifest(NEW_TOKEN, connector('a', journalA) + connector('b', journalB)));
    running.child.kill('SIGHUP');
    await waitFor('the reload', () => running.output().includes('"msg":"configuration reloaded"'), 15000);
    expect(running.output()).toMatch(/"connectors":\["a","b"\],"msg":"configuration reloaded"/);

    // New credentials only.
    expect((await scim(running.url, OLD_TOKEN, 'GET', '/Users?count=1')).status).toBe(401);
    const after = ['after0@example.com', 'after1@example.com', 'after2@example.com'];
    for (const userName of after) await create(userName, NEW_TOKEN);

    // Everything accepted reaches a exactly once; b gets what was written after it was configured.
    expect(await journalDeliveryReport(journalA, accepted, 30000)).toEqual(EXACTLY_ONCE);
    expect(await journalDeliveryReport(journalB, after, 15000)).toEqual(EXACTLY_ONCE);
    const otherErrors = running
      .output()
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l) && !l.includes('configuration reload rejected'));
    expect(otherErrors).toEqual([]);
    expect(await running.stop()).toBe(0);
    server = undefined;
  }, 90000);
});
