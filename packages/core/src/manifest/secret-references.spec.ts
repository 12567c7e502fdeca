import { resolveSecretReferences } from './secret-references.js';

const sources = {
  env: (name: string) => ({ SF_SECRET: 'sf-secret-value', EMPTY: '' })[name],
  readFile: (path: string) => {
    if (path === 'keys/google.pem') return '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  },
};

describe('resolveSecretReferences', () => {
  it('replaces ${env:NAME} and ${file:path}, also inside longer strings', () => {
    const { value, problems } = resolveSecretReferences(
      { a: '${env:SF_SECRET}', b: 'postgres://u:${env:SF_SECRET}@h/db', c: ['${file:keys/google.pem}'], d: 5, e: '${env:EMPTY}' },
      sources,
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({
      a: 'sf-secret-value',
      b: 'postgres://u:sf-secret-value@h/db',
      c: ['-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----'],
      d: 5,
      e: '',
    });
  });

  it('names the exact path of each unresolved reference', () => {
    const { problems } = resolveSecretReferences(
      { connectors: [{ config: { clientSecret: '${env:MISSING}' } }, { config: { key: '${file:nope.pem}' } }] },
      sources,
    );
    expect(problems).toEqual([
      { path: 'connectors[0].config.clientSecret', message: 'environment variable MISSING is not set (referenced as ${env:MISSING})' },
      { path: 'connectors[1].config.key', message: 'cannot read file nope.pem (ENOENT) (referenced as ${file:nope.pem})' },
    ]);
  });

  it('keeps $${ as a literal ${', () => {
    expect(resolveSecretReferences({ a: 'cost $${env:X}' }, sources).value).toEqual({ a: 'cost ${env:X}' });
  });
});
