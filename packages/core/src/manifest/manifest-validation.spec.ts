import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { buildContainer } from '../di/container-builder.js';
import { asServiceId, TOKENS } from '../di/tokens.js';
import { defineConnector } from '../connector/define-connector.js';
import { definePlugin } from '../plugin/define-plugin.js';
import type { OutboundConnector } from '../connector/outbound-connector.js';
import { formatProblem } from './manifest-problems.js';
import { manifestSecretValues, validateManifest } from './manifest-validation.js';
import { manifestJsonSchema } from './manifest-json-schema.js';
import { declaredConnector } from '../../test/declared-connector.js';

const unusedConnector = (): OutboundConnector => {
  throw new Error('not created in these tests');
};

const acme = defineConnector({
  type: 'acme',
  displayName: 'Acme directory',
  configSchema: z.object({
    baseUrl: z.url(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    auth: z.object({ apiKey: z.string() }).optional(),
  }),
  secretFields: ['clientSecret', 'auth.apiKey'],
  capabilities: { users: true, groups: false },
  create: unusedConnector,
});

const lookupable = declaredConnector('lookupable', 'Lookupable directory', {
  matching: { defaults: [{ remote: 'login' }], fields: ['login', 'email'], caseInsensitive: true },
});

function registry(extra: (typeof lookupable)[] = []) {
  const container = buildContainer({ plugins: [definePlugin({ name: 'acme-plugin', connectors: [acme, ...extra] })] });
  return container.get(asServiceId(TOKENS.ConnectorTypeRegistry));
}

describe('validateManifest', () => {
  it('accepts an empty manifest and fills the embedded defaults', () => {
    const result = validateManifest({}, registry());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(result.manifest.store).toEqual({ type: 'sqlite', path: '.provisio/provisio.db' });
    expect(result.manifest.connectors).toEqual([]);
  });

  it('validates each connector config with its own schema and applies instance defaults', () => {
    const result = validateManifest(
      { connectors: [{ id: 'acme-1', type: 'acme', config: { baseUrl: 'https://acme.test', clientId: 'c', clientSecret: 's3cret' } }] },
      registry(),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.connectors[0]).toMatchObject({ id: 'acme-1', enabled: true, mode: 'async', concurrency: 4 });
    expect(result.manifest.connectors[0].config).toEqual({ baseUrl: 'https://acme.test', clientId: 'c', clientSecret: 's3cret' });
  });

  it('checks match rules at their exact path: a remote field the connector cannot look up by, with "did you mean", and a bad local path', () => {
    const result = validateManifest(
      {
        connectors: [
          {
            id: 'l',
            type: 'lookupable',
            match: [{ remote: 'emial' }, { local: 'http://wso2.org/claims/nosuch', remote: 'login' }],
          },
        ],
      },
      registry([lookupable]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
    expect(byPath['connectors[0].match[0].remote']).toBe(
      'Lookupable directory cannot look accounts up by "emial"; did you mean "email"? (known: login, email)',
    );
    expect(byPath['connectors[0].match[1].local']).toMatch(/unknown WSO2 claim "http:\/\/wso2.org\/claims\/nosuch"/);
    const misspelt = validateManifest(
      { connectors: [{ id: 'l', type: 'lookupable', match: [{ remote: 'login', lcoal: 'x' }] }] },
      registry([lookupable]),
    );
    expect(misspelt.ok ? [] : misspelt.problems.map(formatProblem)).toContain(
      'connectors[0].match[0].lcoal: unknown key; did you mean local?',
    );
  });

  it('accepts match rules the connector can use, and reconcile.missing defaults to recreate', () => {
    const result = validateManifest(
      { connectors: [{ id: 'l', type: 'lookupable', match: [{ local: 'emails[primary eq true].value', remote: 'email' }] }] },
      registry([lookupable]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.connectors[0]).toMatchObject({ match: [{ remote: 'email' }], reconcile: { missing: 'recreate' } });
  });

  it('reports every problem at its exact path, one line each', () => {
    const result = validateManifest(
      {
        server: { port: 'eighty' },
        connectors: [
          { id: 'x', type: 'nosuch' },
          { id: 'acme-1', type: 'acme', config: { baseUrl: 'https://acme.test', clientSecret: 's' } },
          { id: 'acme-1', type: 'acme', config: { baseUrl: 'nope', clientId: 'c', clientSecret: 's' }, mappings: {} },
        ],
      },
      registry(),
    );
    expect(result.ok).toBe(false);
    const lines = result.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.port: /),
        'connectors[0].type: unknown connector type "nosuch"; loaded plugins: acme-plugin (acme). Add the plugin that provides it to "plugins"',
        'connectors[1].config.clientId: Required',
        'connectors[2].id: duplicate id "acme-1" (also connectors[1])',
        expect.stringMatching(/^connectors\[2\]\.config\.baseUrl: /),
        'connectors[2].mappings: unknown key; did you mean mapping?',
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it('rejects a guard threshold of 0, a negative or one over 100 %, and a malformed window, at their paths', () => {
    const config = { baseUrl: 'https://acme.example.com', clientId: 'c', clientSecret: 's' };
    const connector = (deprovisionGuard: unknown) => ({ id: 'a', type: 'acme', config, deprovisionGuard });
    const result = validateManifest(
      {
        connectors: [
          connector({ threshold: 0 }),
          connector({ threshold: -5 }),
          connector({ threshold: '150%' }),
          connector({ threshold: 10, window: '1 hour' }),
          connector({ threshold: 10, windw: '1h' }),
          connector(true),
        ].map((c, i) => ({ ...c, id: `a${i}` })),
      },
      registry(),
    );
    expect(result.ok).toBe(false);
    const lines = result.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        'connectors[0].deprovisionGuard.threshold: must be at least 1 (give deprovisionGuard: false to turn the guard off)',
        'connectors[1].deprovisionGuard.threshold: must be at least 1 (give deprovisionGuard: false to turn the guard off)',
        'connectors[2].deprovisionGuard.threshold: must be a percentage above 0% and at most 100%',
        'connectors[3].deprovisionGuard.window: must be a positive duration like 30m, 1h or 1d',
        'connectors[5].deprovisionGuard: give false to turn the guard off, or { threshold, window }; it is on by default',
      ]),
    );
    expect(lines.some((l) => l === 'connectors[4].deprovisionGuard.windw: unknown key; did you mean window?')).toBe(true);
    const fine = validateManifest(
      {
        connectors: [
          { id: 'a', type: 'acme', config, deprovisionGuard: { threshold: '10%', window: '30m' } },
          { id: 'b', type: 'acme', config, deprovisionGuard: false },
        ],
      },
      registry(),
    );
    expect(fine.problems).toEqual([]);
  });

  it('collects the secret values of core sections and of connector secretFields', () => {
    const result = validateManifest(
      {
        admin: { auth: { bearer: [{ name: 'ops', token: 'admin-token-0123456789' }] } },
        connectors: [
          {
            id: 'a',
            type: 'acme',
            config: { baseUrl: 'https://acme.test', clientId: 'visible', clientSecret: 'hidden-secret', auth: { apiKey: 'key-123' } },
          },
        ],
      },
      registry(),
    );
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(manifestSecretValues(result.manifest, registry()).sort()).toEqual(['admin-token-0123456789', 'hidden-secret', 'key-123']);
  });
});

describe('manifestJsonSchema', () => {
  it('has one connectors[] variant per loaded type, with its config schema and secrets marked writeOnly', () => {
    const schema = manifestJsonSchema(registry()) as {
      properties: {
        connectors: {
          items: { oneOf: { properties: { type: { const: string }; config: { properties: Record<string, { writeOnly?: boolean }> } } }[] };
        };
      };
    };
    const variants = schema.properties.connectors.items.oneOf;
    expect(variants.map((v) => v.properties.type.const)).toEqual(['acme']);
    expect(variants[0].properties.config.properties.clientSecret.writeOnly).toBe(true);
    expect(variants[0].properties.config.properties.clientId.writeOnly).toBeUndefined();
  });
});

describe('validateManifest: scopes, mappings and patterns', () => {
  it('reports a broken scope filter, mapping and pattern at their paths', () => {
    const result = validateManifest(
      {
        connectors: [
          {
            id: 'a',
            type: 'acme',
            config: { baseUrl: 'https://acme.test', clientId: 'c', clientSecret: 's' },
            scope: 'groups.display eq',
            mapping: { Alias: { from: 'userName', transform: 'trunc(8)' }, Email: 'http://wso2.org/claims/emailadress' },
            pattern: { template: '{UX, UN}' },
          },
        ],
      },
      registry(),
    );
    expect(result.ok).toBe(false);
    const lines = result.problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith('connectors[0].scope: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('connectors[0].mapping.Alias: ') && l.includes('trunc'))).toBe(true);
    expect(lines.some((l) => l.startsWith('connectors[0].mapping.Email: ') && l.includes('emailaddress'))).toBe(true);
    expect(lines.some((l) => l.startsWith('connectors[0].pattern: ') && l.includes('UX'))).toBe(true);
  });
});

describe('validateManifest: unknown keys', () => {
  const acmeConfig = { baseUrl: 'https://acme.test', clientId: 'c', clientSecret: 's' };

  it('reports a misspelt key in any core section at its path, with the nearest known name', () => {
    const result = validateManifest(
      {
        sevrer: {},
        inbound: { scim: { auht: { bearer: [] } } },
        admin: { auth: { bearer: [{ name: 'ops', token: 'admin-token-0123456789', readonly: true }] } },
        store: { type: 'sqlite', pth: 'x.db' },
        connectors: [{ id: 'a', type: 'acme', config: acmeConfig, mapping: { Email: { form: 'emails' } }, retry: { maxAtempts: 3 } }],
      },
      registry(),
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map(formatProblem).sort()).toEqual(
      [
        'sevrer: unknown key; did you mean server?',
        'inbound.scim.auht: unknown key; did you mean auth?',
        'admin.auth.bearer[0].readonly: unknown key; did you mean readOnly?',
        'store.pth: unknown key; did you mean path?',
        'connectors[0].mapping.Email: give from, default, or both',
        'connectors[0].mapping.Email.form: unknown key; did you mean from?',
        'connectors[0].retry.maxAtempts: unknown key; did you mean maxAttempts?',
      ].sort(),
    );
  });

  it('lists the known keys when none is close', () => {
    const result = validateManifest({ inbound: { scim: { zzzzzz: 1 } } }, registry());
    expect(result.problems.map(formatProblem)).toEqual([
      'inbound.scim.zzzzzz: unknown key; expected one of basePath, auth, aliases, schemas',
    ]);
  });

  it("checks a connector's config against its type's schema, even a plain z.object, at any depth", () => {
    const result = validateManifest(
      { connectors: [{ id: 'a', type: 'acme', config: { ...acmeConfig, clientSecert: 'x', auth: { apiKye: 'k' } } }] },
      registry(),
    );
    expect(result.problems.map(formatProblem).sort()).toEqual(
      [
        'connectors[0].config.auth.apiKey: Required',
        'connectors[0].config.auth.apiKye: unknown key; did you mean apiKey?',
        'connectors[0].config.clientSecert: unknown key; did you mean clientSecret?',
      ].sort(),
    );
  });

  it('leaves objects that take any key on purpose alone', () => {
    const loose = defineConnector({
      type: 'loose',
      displayName: 'Loose',
      configSchema: z.object({ headers: z.looseObject({}), extra: z.record(z.string(), z.string()).optional() }),
      secretFields: [],
      capabilities: { users: true, groups: false },
      create: unusedConnector,
    });
    const types = buildContainer({ plugins: [definePlugin({ name: 'loose-plugin', connectors: [loose] })] }).get(
      asServiceId(TOKENS.ConnectorTypeRegistry),
    );
    const result = validateManifest(
      { connectors: [{ id: 'l', type: 'loose', config: { headers: { 'X-Anything': '1' }, extra: { any: 'thing' } } }] },
      types,
    );
    expect(result.problems).toEqual([]);
  });
});

describe('validateManifest: jwt credentials', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base = { name: 'okta', issuer: 'https://okta.example.com/oauth2/default', audience: 'api://provisio' };
  const lines = (jwt: Record<string, unknown>, where: 'scim' | 'admin' = 'scim') =>
    validateManifest(
      where === 'scim'
        ? { inbound: { scim: { auth: { jwt: [jwt] } } } }
        : { admin: { auth: { jwt: [{ ...base, publicKey: publicPem }, jwt] } } },
      registry(),
    ).problems.map(formatProblem);

  it('accepts a JWKS URL or a PEM public key, and fills the defaults', () => {
    expect(lines({ ...base, jwksUri: 'https://okta.example.com/oauth2/default/v1/keys' })).toEqual([]);
    expect(lines({ ...base, jwksUri: 'http://127.0.0.1:8443/keys' })).toEqual([]);
    const result = validateManifest({ inbound: { scim: { auth: { jwt: [{ ...base, publicKey: publicPem }] } } } }, registry());
    expect(result.ok && result.manifest.inbound.scim.auth.jwt[0]).toMatchObject({
      clockToleranceSeconds: 60,
      jwksRefreshSeconds: 30,
      requiredScopes: [],
      readOnly: false,
    });
    expect(result.ok && result.manifest.inbound.scim.auth.failedAttempts).toEqual({ limit: 10, windowSeconds: 60 });
  });

  it('needs exactly one of jwksUri and publicKey, at the entry', () => {
    expect(lines(base)).toEqual(['inbound.scim.auth.jwt[0]: give jwksUri or publicKey']);
    expect(lines({ ...base, jwksUri: 'https://okta.example.com/keys', publicKey: publicPem }, 'admin')).toEqual([
      'admin.auth.jwt[1]: give either jwksUri or publicKey, not both',
    ]);
  });

  it('reports a bad PEM, a private key, plain http to another host and a skew over 300 s at their paths', () => {
    expect(lines({ ...base, publicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' })).toEqual([
      'inbound.scim.auth.jwt[0].publicKey: is not a PEM public key or certificate ("-----BEGIN PUBLIC KEY-----")',
    ]);
    expect(lines({ ...base, publicKey: privatePem })).toEqual([
      'inbound.scim.auth.jwt[0].publicKey: is a private key: give the public key only (openssl pkey -pubout)',
    ]);
    expect(lines({ ...base, jwksUri: 'http://okta.example.com/keys' })).toEqual([
      'inbound.scim.auth.jwt[0].jwksUri: must be https (plain http only to a loopback host)',
    ]);
    expect(lines({ ...base, jwksUri: 'https://okta.example.com/keys', clockToleranceSeconds: 600 })).toEqual([
      expect.stringMatching(/^inbound\.scim\.auth\.jwt\[0\]\.clockToleranceSeconds: /),
    ]);
  });

  it('refuses an unknown algorithm, HS256 and none, naming the accepted ones', () => {
    const problems = lines({ ...base, jwksUri: 'https://okta.example.com/keys', algorithms: ['RS256', 'HS256', 'none', 'RS257'] });
    expect(problems).toEqual([
      expect.stringMatching(
        /^inbound\.scim\.auth\.jwt\[0\]\.algorithms\[1\]: HS256 \(a shared secret\) is not accepted with a public key; use one of RS256, /,
      ),
      expect.stringMatching(/^inbound\.scim\.auth\.jwt\[0\]\.algorithms\[2\]: unknown algorithm "none"; use one of RS256, .*EdDSA$/),
      expect.stringMatching(/^inbound\.scim\.auth\.jwt\[0\]\.algorithms\[3\]: unknown algorithm "RS257"/),
    ]);
  });

  it('suggests the nearest key for a misspelt one', () => {
    expect(lines({ ...base, jwksUrl: 'https://okta.example.com/keys' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^inbound\.scim\.auth\.jwt\[0\]\.jwksUrl: .*did you mean jwksUri/)]),
    );
  });
});

describe('validateManifest: server.tls and client-certificate credentials', () => {
  it('needs cert with key, or pfx, and ca with requestClientCert', () => {
    const lines = (tls: unknown) => validateManifest({ server: { tls } }, registry()).problems.map(formatProblem);
    expect(lines({ cert: 'PEM' })).toEqual(['server.tls.key: Required with cert']);
    expect(lines({ cert: 'PEM', key: 'PEM', pfx: 'B64' })).toEqual(['server.tls: give either cert and key, or pfx, not both']);
    expect(lines({})).toEqual(['server.tls: give cert and key, or pfx']);
    expect(lines({ pfx: 'B64', requestClientCert: true })).toEqual([
      'server.tls.ca: Required with requestClientCert: the CA that issues the client certificates',
    ]);
    expect(lines({ cert: 'PEM', key: 'PEM', requestClientCert: true, ca: 'PEM' })).toEqual([]);
  });

  it('refuses a clientSubject where no client certificate is asked for, and a malformed one', () => {
    const credential = { name: 'okta', token: 'okta-token-0123456789', clientSubject: 'CN=okta,O=Example' };
    const without = validateManifest({ inbound: { scim: { auth: { bearer: [credential] } } } }, registry());
    expect(without.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^inbound\.scim\.auth\.bearer\[0\]\.clientSubject: needs server\.tls with requestClientCert: true/),
    ]);
    const tls = { cert: 'PEM', key: 'PEM', ca: 'PEM', requestClientCert: true };
    expect(validateManifest({ server: { tls }, inbound: { scim: { auth: { bearer: [credential] } } } }, registry()).ok).toBe(true);
    const malformed = validateManifest(
      { server: { tls }, admin: { auth: { basic: [{ username: 'u', password: 'password1', clientSubject: 'okta' }] } } },
      registry(),
    );
    expect(malformed.problems.map(formatProblem)).toEqual([
      'admin.auth.basic[0].clientSubject: must be a distinguished name like "CN=okta-scim,O=Example"',
    ]);
  });

  it('counts the TLS key, pfx and passphrase as secrets', () => {
    const result = validateManifest({ server: { tls: { pfx: 'pfx-base64-secret', passphrase: 'pass-secret' } } }, registry());
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(manifestSecretValues(result.manifest, registry()).sort()).toEqual(['pass-secret', 'pfx-base64-secret']);
  });
});

describe('validateManifest: server.publicUrl and server.trustProxy', () => {
  const server = (section: Record<string, unknown>) => validateManifest({ server: section }, registry());

  it('takes an http(s) URL without query, dropping a trailing slash', () => {
    const result = server({ publicUrl: 'https://id.example.com/provisio/' });
    expect(result.ok && result.manifest.server.publicUrl).toBe('https://id.example.com/provisio');
    expect(server({ publicUrl: 'ftp://id.example.com' }).problems.map(formatProblem)).toEqual([
      'server.publicUrl: must be an http(s) URL, e.g. https://id.example.com',
    ]);
    expect(server({ publicUrl: 'https://id.example.com/?a=1' }).problems.map(formatProblem)).toEqual([
      'server.publicUrl: must not have a query or fragment',
    ]);
  });

  it('takes a hop count or a list of addresses, CIDRs and express names', () => {
    expect(server({ trustProxy: 1 }).ok).toBe(true);
    expect(server({ trustProxy: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback'] }).ok).toBe(true);
    expect(server({ trustProxy: ['10.0.0.0/33'] }).problems.map(formatProblem)).toEqual([
      'server.trustProxy[0]: must be an IP address, a CIDR (10.0.0.0/8) or one of loopback, linklocal, uniquelocal',
    ]);
    expect(server({ trustProxy: 0 }).ok).toBe(false);
  });
});
