import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './cli-harness.js';
import { journal } from './faults/fault-kit.js';
import { manifestHead, writeManifestDir } from './test-manifest.js';

const harness = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'pipeline-harness.mjs');
const USERS = 200;

/**
 * The promise "accepted means provisioned, exactly once": a server process is
 * killed with SIGKILL while its worker is mid-batch, a new one starts on the
 * same database, and every accepted create reaches the target once.
 */
describe('crash recovery', () => {
  it('delivers every accepted create exactly once after a SIGKILL mid-batch', async () => {
    const { dir, manifestPath: manifest } = writeManifestDir(
      'provisio-crash-',
      (folder) => `${manifestHead({ logLevel: 'warn', sqlite: true })}connectors:
  - id: target
    type: memory
    concurrency: 2
    config: { journal: ${JSON.stringify(join(folder, 'target.jsonl'))}, latencyMs: 40 }
    mapping: { userName: userName }
    pattern: { template: "{UN}" }
`,
    );
    const targetJournal = join(dir, 'target.jsonl');

    // First process: accept all creates, get killed while the worker is busy.
    const child = spawn(process.execPath, [harness, manifest, 'create', String(USERS)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let accepted = 0;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      accepted += (chunk.toString().match(/^accepted \d+$/gm) ?? []).length;
    });
    const delivered = () => journal(targetJournal).length;
    const killed = new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60000;
      const poll = setInterval(() => {
        // Mid-batch: everything accepted, part of it delivered.
        if (accepted === USERS && delivered() > 0) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        } else if (child.exitCode !== null || Date.now() > deadline) {
          clearInterval(poll);
          reject(new Error(`never caught the harness mid-batch: accepted ${accepted}, delivered ${delivered()}\n${stderr}`));
        }
      }, 5);
    });
    await killed;
    await new Promise((resolve) => child.once('close', resolve));
    expect(accepted).toBe(USERS);
    const beforeRestart = delivered();
    expect(beforeRestart).toBeLessThan(USERS);

    // Second process on the same database: picks up what the first left behind.
    const drained = await runNode(harness, [manifest, 'drain'], { cwd: dir, timeoutMs: 90000 });
    expect(drained.stderr).not.toMatch(/error/i);
    // The killed process had jobs in flight; the new one took them over.
    expect(drained.stderr).toContain('picked up jobs whose worker stopped without finishing them');
    expect(drained.stdout).toMatch(/drained \{"pending":0,"running":0,"succeeded":\d+,"failed":0,"superseded":0,"held":0,"discarded":0\}/);

    const creates = journal(targetJournal, 'createUser');
    const perUser = new Map<string, number>();
    for (const line of creates) perUser.set(line.accountName ?? '', (perUser.get(line.accountName ?? '') ?? 0) + 1);
    expect(perUser.size).toBe(USERS);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(creates).toHaveLength(USERS);
  }, 150000);
});
