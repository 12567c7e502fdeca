import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorNames } from '../src/connector-names.ts';
import { exampleFiles, respell } from '../src/example-files.ts';

const exampleDir = join(import.meta.dirname, '..', '..', '..', 'examples', 'rest-directory-connector');
const example = connectorNames('rest-directory');

describe("the connector files, copied from the example's", () => {
  it('are the example files themselves under the example name', () => {
    const files = exampleFiles(example);
    expect(Object.keys(files)).toContain('src/rest-directory-connector.ts');
    for (const [path, content] of Object.entries(files)) expect(content).toBe(readFileSync(join(exampleDir, path), 'utf8'));
  });

  it('carry every spelling of the new name and none of the example name', () => {
    const files = exampleFiles(connectorNames('acme-crm'));
    expect(Object.keys(files).sort()).toEqual([
      'src/acme-crm-client.ts',
      'src/acme-crm-config.ts',
      'src/acme-crm-connector.ts',
      'src/acme-crm-errors.ts',
      'test/acme-crm-emulator.ts',
      'test/acme-crm.conformance.spec.ts',
    ]);
    const all = Object.values(files).join('\n');
    expect(all).not.toMatch(/rest[\s_-]?directory/i);
    expect(files['src/acme-crm-connector.ts']).toContain("type: 'acme-crm'");
    expect(files['src/acme-crm-connector.ts']).toContain("displayName: 'Acme Crm'");
    expect(files['src/acme-crm-connector.ts']).toContain('export class AcmeCrmConnector implements OutboundConnector');
    expect(files['src/acme-crm-connector.ts']).toContain('export const acmeCrmConnector = defineConnector(');
  });

  it('refuse a spelling of the example name they cannot respell, rather than leave it behind', () => {
    const to = connectorNames('acme');
    expect(respell('const restDirectoryToken = "rest-directory";', example, to, 'here.ts')).toBe('const acmeToken = "acme";');
    expect(() => respell('const REST_DIRECTORY_TOKEN = 1;', example, to, 'here.ts')).toThrow(
      'here.ts: "REST_DIRECTORY" spells rest-directory in a way the generator does not respell (use rest-directory, RestDirectory, restDirectory, Rest Directory)',
    );
  });
});
