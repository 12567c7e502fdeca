import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cliPath, runCli, workspaceRoot } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'provisio-cli-'));

function manifest(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

describe('provisio validate', () => {
  it('prints one clear line for an unknown type, a missing required field and an unresolved ${env:X}, and exits 1', async () => {
    const path = manifest(
      'bad.yaml',
      `connectors:
  - id: crm
    type: salesforcee
  - id: mem
    type: memory
    config:
      apiKey: \${env:PROVISIO_TEST_UNSET_VAR}
admin:
  auth:
    bearer:
      - token: 0123456789abcdef0123
`,
    );
    const result = await runCli(['validate', '--config', path], { cwd: dir, env: { PROVISIO_TEST_UNSET_VAR: undefined } });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([
      'error: connectors[1].config.apiKey: environment variable PROVISIO_TEST_UNSET_VAR is not set (referenced as ${env:PROVISIO_TEST_UNSET_VAR})',
      'error: admin.auth.bearer[0].name: Required',
      'error: connectors[0].type: unknown connector type "salesforcee"; loaded plugins: @provisio/connector-google (google), @provisio/connector-memory (memory), @provisio/connector-salesforce (salesforce), @provisio/connector-scim (scim11, scim2). Add the plugin that provides it to "plugins"',
    ]);
    expect(result.stderr).toContain(`3 problems in ${path}`);
  });

  it('exits 0 on a valid manifest, with secrets taken from the environment', async () => {
    const path = manifest(
      'good.yaml',
      `connectors:
  - id: mem
    type: memory
    config:
      apiKey: \${env:MEM_KEY}
    mapping:
      Email: http://wso2.org/claims/emailaddress
      EmailEncodingKey: { default: UTF-8 }
`,
    );
    const result = await runCli(['validate', '-c', path], { cwd: dir, env: { MEM_KEY: 'k-1' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`ok: ${path} is valid; 1 connector instance (mem: memory)\n`);
  });

  it('accepts JSON manifests and reports YAML syntax errors with a line number', async () => {
    const json = manifest('m.json', JSON.stringify({ server: { port: 9999 } }));
    expect((await runCli(['validate', '-c', json], { cwd: dir })).code).toBe(0);
    const broken = manifest('broken.yaml', 'server:\n  port: [1,\n');
    const result = await runCli(['validate', '-c', broken], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
  });

  it('reports a manifest that does not exist', async () => {
    const result = await runCli(['validate', '-c', join(dir, 'nope.yaml')], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ENOENT');
  });
});

describe('provisio schema and connectors', () => {
  it('prints a JSON Schema with a connectors[] variant per loaded type', async () => {
    const result = await runCli(['schema'], { cwd: dir });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    const variants = schema.properties.connectors.items.oneOf as {
      properties: { type: { const: string }; config: { properties: Record<string, { writeOnly?: boolean }> } };
    }[];
    const memory = variants.find((v) => v.properties.type.const === 'memory');
    expect(memory?.properties.config.properties.apiKey.writeOnly).toBe(true);
  });

  it('lists plugins, types and config fields with secrets marked', async () => {
    const result = await runCli(['connectors'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('memory  In-memory target (tests and demos)  [@provisio/connector-memory]');
    expect(result.stdout).toMatch(/apiKey: string \(optional, secret\)/);
  });

  it('rejects an unknown command with usage and exit 2', async () => {
    const result = await runCli(['frobnicate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('provisio serve --role and migrate', () => {
  it('refuses an unknown role, and a split role on SQLite (one process does everything there)', async () => {
    const path = manifest('sqlite-roles.yaml', 'server: { port: 0 }\nstore: { type: sqlite, path: data/roles.db }\n');
    const unknown = await runCli(['serve', '-c', path, '--role', 'reader'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--role must be one of all, api, worker, not "reader"');
    const split = await runCli(['serve', '-c', path, '--role', 'worker'], { cwd: dir });
    expect(split.code).toBe(2);
    expect(split.stderr).toContain('--role worker needs store.type "postgres"');
  });

  it('needs security.passwordKey with PostgreSQL, and migrate has nothing to do for SQLite', async () => {
    const postgres = manifest('postgres-no-key.yaml', 'store: { type: postgres, url: "postgres://127.0.0.1:9/none" }\n');
    const invalid = await runCli(['validate', '-c', postgres], { cwd: dir });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('security.passwordKey');
    expect(invalid.stderr).toContain('every process must use the same key');
    const sqlite = manifest('sqlite-migrate.yaml', 'store: { type: sqlite, path: data/migrate.db }\n');
    const migrate = await runCli(['migrate', '-c', sqlite], { cwd: dir });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('nothing to do');
  });

  it('names the database, not its URL, when PostgreSQL cannot be reached', async () => {
    const path = manifest(
      'postgres-down.yaml',
      `store: { type: postgres, url: "postgres://provisio:s3cret-db-pass@127.0.0.1:9/provisio", pool: { connectionTimeoutMs: 2000 } }
security: { passwordKey: "${Buffer.alloc(32, 7).toString('base64')}" }
`,
    );
    const result = await runCli(['migrate', '-c', path], { cwd: dir, timeoutMs: 20000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not open the store (PostgreSQL at 127.0.0.1:9/provisio)');
    expect(result.stderr).not.toContain('s3cret-db-pass');
  });
});

describe('provisio output into a pipe closed early', () => {
  it('ends quietly with exit 0 when the reader stops reading (provisio connectors | head -1)', async () => {
    const child = spawn(process.execPath, [cliPath, 'connectors'], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -1`: read the first chunk, then close the read end.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('provisio connectors did not end within 30 s')), 30000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
