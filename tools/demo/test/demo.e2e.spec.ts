import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ADMIN_TOKEN = 'admin-token-from-the-environment-42';

/** `npm start` without the build: the launcher on free ports, driven only by what it prints. */
describe('the npm start demo', () => {
  let demo: ChildProcess;
  let out = '';
  let err = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  const printed = (pattern: RegExp): RegExpMatchArray => {
    const match = out.match(pattern);
    if (!match) throw new Error(`the demo did not print ${pattern}; it printed:\n${out}\n${err}`);
    return match;
  };

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', PROVISIO_DEMO_EMULATOR_PORTS: '0', PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN };
    delete env['PROVISIO_SCIM_TOKEN'];
    delete env['NODE_OPTIONS'];
    demo = spawn(process.execPath, [join(workspaceRoot, 'tools', 'demo', 'src', 'main.ts')], {
      cwd: workspaceRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    exited = new Promise((resolve) => demo.once('exit', (code, signal) => resolve({ code, signal })));
    for (let waited = 0; !out.includes('Stop with Ctrl+C'); waited += 100) {
      if (demo.exitCode !== null || waited > 60000) throw new Error(`the demo did not start:\n${out}\n${err}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    // Only after a failure: SIGTERM first so the launcher stops its own server child, then SIGKILL.
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      demo.kill('SIGTERM');
      const force = setTimeout(() => demo.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(force);
    }
  });

  it('prints the SCIM URL, a generated SCIM token and the admin token from the environment', () => {
    expect(printed(/SCIM base URL\s+(http:\/\/127\.0\.0\.1:\d+\/scim\/v2)/)[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(printed(/SCIM token\s+(\S+)\s+PROVISIO_SCIM_TOKEN \(generated/)[1].length).toBeGreaterThanOrEqual(16);
    expect(printed(/Admin token\s+(\S+)/)[1]).toBe(ADMIN_TOKEN);
  });

  it('provisions the user of the printed curl to the SCIM app, Salesforce and Google within seconds', async () => {
    const [, url, token, contentType, body] = printed(
      /curl -s -X POST (\S+) -H 'Authorization: Bearer ([^']+)' -H 'Content-Type: ([^']+)' -d '([^']+)'/,
    );
    const created = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    expect(created.status).toBe(201);
    const { id, userName } = (await created.json()) as { id: string; userName: string };

    const targets = ['SCIM app', 'Salesforce', 'Google'].map((name) => ({
      name,
      url: printed(new RegExp(`${name}\\s+curl -s (\\S+/__emulator/state)`))[1],
    }));
    for (const target of targets) {
      let seen = false;
      for (let waited = 0; !seen && waited < 20000; waited += 200) {
        const state = await (await fetch(target.url)).text();
        seen = state.includes(`"${userName}"`);
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect({ target: target.name, seen }).toEqual({ target: target.name, seen: true });
    }

    const linksCommand = printed(/links\s+curl -s -H 'Authorization: Bearer ([^']+)' (\S+)\/users\/<id/);
    const synced = new Set<string>();
    for (let waited = 0; synced.size < 4 && waited < 20000; waited += 200) {
      const current = (await (
        await fetch(`${linksCommand[2]}/users/${id}/links`, { headers: { authorization: `Bearer ${linksCommand[1]}` } })
      ).json()) as { connector: string; status: string }[];
      for (const link of current) if (link.status === 'synced') synced.add(link.connector);
      if (synced.size < 4) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect([...synced].sort()).toEqual(['google', 'memory', 'salesforce', 'scim-app']);
  });

  it('stops cleanly on SIGTERM', async () => {
    demo.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20000)))]);
    clearTimeout(timer);
    expect(result).toEqual({ code: 0, signal: null });
    expect(err).toContain('demo stopped');
  });
});
