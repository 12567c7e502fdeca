import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectorDefinition } from '@provisio/core';
import { validateManifest } from '@provisio/core/engine';
import { parse } from 'yaml';
import { builtInConnectorTypes } from '../src/built-in-connectors.ts';
import { configFields } from '@provisio/core';
import { instanceFields } from '../src/render-configure-connectors.ts';
import { wso2Forms } from '../src/wso2-reference.ts';
import { yamlListItem } from '../src/yaml-lines.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
const main = join(workspaceRoot, 'tools', 'docs-gen', 'src', 'main.ts');
const committed = join(workspaceRoot, 'docs', 'configure-connectors.md');
const types = builtInConnectorTypes();
const lookup = {
  get: (type: string): ConnectorDefinition | undefined => types.find((t) => t.definition.type === type)?.definition,
  list: () => types.map((t) => ({ type: t.definition.type, plugin: t.plugin, displayName: t.definition.displayName })),
};

describe('docs/configure-connectors.md', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'provisio-docs-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const run = (args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 60000 });

  it('is what `npm run docs` generates from the current schemas (run it and commit when this fails)', () => {
    const fresh = join(scratch, 'fresh.md');
    execFileSync(process.execPath, [main, '--out', fresh], { timeout: 60000 });
    expect(readFileSync(committed, 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  });

  it('--check fails on a stale copy and passes on a fresh one', () => {
    const copy = join(scratch, 'copy.md');
    writeFileSync(copy, readFileSync(committed, 'utf8').replace('Google Domain', 'Google Domian'));
    const stale = run(['--check', '--out', copy]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('is stale: run `npm run docs`');
    writeFileSync(copy, readFileSync(committed, 'utf8'));
    expect(run(['--check', '--out', copy]).status).toBe(0);
  });

  it('lists every config field of every built-in connector type, each described', () => {
    const text = readFileSync(committed, 'utf8');
    expect(types.map((t) => t.definition.type).sort()).toEqual(['google', 'memory', 'salesforce', 'scim11', 'scim2']);
    for (const { definition } of types) {
      expect(text).toContain(`## \`${definition.type}\`: ${definition.displayName}`);
      for (const row of configFields(definition.configSchema, definition.secretFields)) {
        expect({ type: definition.type, path: row.path, described: Boolean(row.description) }).toEqual({
          type: definition.type,
          path: row.path,
          described: true,
        });
        expect(text).toContain(`| \`${row.path}\` |`);
      }
      for (const secret of definition.secretFields) {
        expect(configFields(definition.configSchema, definition.secretFields).some((row) => row.path === secret && row.secret)).toBe(true);
      }
    }
    for (const row of instanceFields())
      expect({ path: row.path, described: Boolean(row.description) }).toEqual({ path: row.path, described: true });
  });

  it('shows defaults that sit behind a transform (salesforce apiVersion, tokenEndpoint)', () => {
    const rows = configFields(lookup.get('salesforce')!.configSchema);
    expect(rows.find((r) => r.path === 'apiVersion')?.default).toBe('59.0');
    expect(rows.find((r) => r.path === 'tokenEndpoint')?.default).toBe('https://login.salesforce.com/services/oauth2/token');
  });
});

describe('the WSO2 reference table', () => {
  it('names only config fields the connector types have (in the variant given)', () => {
    for (const form of wso2Forms) {
      for (const type of form.types) {
        const rows = configFields(lookup.get(type)!.configSchema);
        for (const field of form.fields.filter((f) => f.configPath)) {
          expect({ type, field: field.label, found: rows.some((r) => r.path === field.configPath && r.variant === field.variant) }).toEqual(
            { type, field: field.label, found: true },
          );
        }
      }
    }
  });

  it("gives examples with the reference docs' sample values that pass manifest validation, and print as the same YAML", () => {
    for (const form of wso2Forms) {
      const result = validateManifest({ connectors: [form.example] }, lookup);
      expect({ form: form.form, problems: result.problems }).toEqual({ form: form.form, problems: [] });
      for (const field of form.fields.filter(
        (f) => f.configPath && f.sample !== 'Selected' && !f.sample.startsWith('<') && !f.sample.includes(';'),
      )) {
        expect(JSON.stringify(form.example)).toContain(field.sample.replace(/\/$/, ''));
      }
      expect(parse(yamlListItem(form.example).join('\n'))).toEqual([form.example]);
    }
  });
});

describe('docs/migrating-from-wso2.md', () => {
  const text = readFileSync(join(workspaceRoot, 'docs', 'migrating-from-wso2.md'), 'utf8');
  const yamlBlocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as Record<string, unknown>);

  it('maps every field of the WSO2 Google, Salesforce and SCIM forms', () => {
    for (const form of wso2Forms) {
      for (const field of form.fields)
        expect({ form: form.form, label: field.label, mentioned: text.includes(`| ${field.label} |`) }).toEqual({
          form: form.form,
          label: field.label,
          mentioned: true,
        });
    }
  });

  it('has an "after" manifest that passes validation with the built-in connector types', () => {
    expect(yamlBlocks.length).toBeGreaterThan(0);
    for (const manifest of yamlBlocks) {
      expect(validateManifest(manifest, lookup).problems).toEqual([]);
    }
    const types = yamlBlocks.flatMap((m) => ((m['connectors'] as { type: string }[] | undefined) ?? []).map((c) => c.type));
    expect(types).toEqual(expect.arrayContaining(['salesforce', 'google', 'scim2']));
  });
});
