import { z } from 'zod';
import { buildContainer } from '../di/container-builder.js';
import { asServiceId, TOKENS } from '../di/tokens.js';
import { defineConnector } from '../connector/define-connector.js';
import { definePlugin } from '../plugin/define-plugin.js';
import type { OutboundConnector } from '../connector/outbound-connector.js';
import { formatProblem } from './manifest-problems.js';
import { manifestSecretValues, validateManifest } from './manifest-validation.js';
import { tenantManifests } from './tenant-manifests.js';

const directory = defineConnector({
  type: 'directory',
  displayName: 'Directory',
  configSchema: z.strictObject({ baseUrl: z.url(), apiKey: z.string() }),
  secretFields: ['apiKey'],
  capabilities: { users: true, groups: false },
  create: (): OutboundConnector => {
    throw new Error('not created in these tests');
  },
});

const registry = () =>
  buildContainer({ plugins: [definePlugin({ name: 'directory-plugin', connectors: [directory] })] }).get(
    asServiceId(TOKENS.ConnectorTypeRegistry),
  );

const bearer = (name: string, token: string) => ({ auth: { bearer: [{ name, token }] } });
const app = (extra: Record<string, unknown> = {}) => ({
  id: 'app',
  type: 'directory',
  config: { baseUrl: 'https://directory.test', apiKey: 'tenant-secret-api-key' },
  pattern: { template: '{UN,TD}' },
  ...extra,
});
const acme = (extra: Record<string, unknown> = {}) => ({
  domain: 'acme.com',
  inbound: { scim: bearer('acme-hr', 'acme-token-0123456789abcdef') },
  connectors: [app()],
  ...extra,
});

function problems(raw: unknown): string[] {
  const result = validateManifest(raw, registry());
  return result.ok ? [] : result.problems.map((p) => formatProblem(p));
}

describe('manifest: tenants', () => {
  it('without tenants everything is the default tenant carbon.super, whose {TD} it is', () => {
    const result = validateManifest({ connectors: [app()] }, registry());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.manifest.defaultTenant).toBe('carbon.super');
    expect(tenantManifests(result.manifest).map((t) => [t.domain, t.isDefault, t.manifest.connectors[0]?.pattern?.tenantDomain])).toEqual([
      ['carbon.super', true, 'carbon.super'],
    ]);
  });

  it("gives each tenant its own credentials and instances, {TD} its domain, and validates a tenant connector's config", () => {
    const result = validateManifest({ defaultTenant: 'example.org', tenants: [acme()] }, registry());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [own, tenant] = tenantManifests(result.manifest);
    expect(own.domain).toBe('example.org');
    expect(tenant).toMatchObject({ domain: 'acme.com', isDefault: false });
    expect(tenant.manifest.inbound.scim.auth.bearer.map((b) => b.name)).toEqual(['acme-hr']);
    expect(tenant.manifest.connectors[0].pattern?.tenantDomain).toBe('acme.com');
    expect(tenant.manifest.connectors[0].config).toEqual({ baseUrl: 'https://directory.test', apiKey: 'tenant-secret-api-key' });
    expect(tenant.manifest.tenants).toEqual([]);
    // A tenant's connector secrets are scrubbed like the default tenant's.
    expect(manifestSecretValues(result.manifest, registry())).toEqual(
      expect.arrayContaining(['tenant-secret-api-key', 'acme-token-0123456789abcdef']),
    );
  });

  it.each([
    ['an upper-case domain', { tenants: [acme({ domain: 'Acme.com' })] }, 'tenants[0].domain: must be a lowercase DNS name'],
    ['an empty label', { tenants: [acme({ domain: 'acme..com' })] }, 'tenants[0].domain: must be a lowercase DNS name'],
    [
      'a duplicate domain',
      { tenants: [acme(), acme({ inbound: {} })] },
      'tenants[1].domain: duplicate tenant domain "acme.com" (also tenants[0])',
    ],
    [
      "the default tenant's domain as a tenant",
      { tenants: [acme({ domain: 'carbon.super' })] },
      'tenants[0].domain: "carbon.super" is the default tenant',
    ],
    ['an upper-case defaultTenant', { defaultTenant: 'Example.org' }, 'defaultTenant: must be a lowercase DNS name'],
    [
      'an unknown connector type in a tenant',
      { tenants: [acme({ connectors: [app({ type: 'nope' })] })] },
      'tenants[0].connectors[0].type: unknown connector type "nope"',
    ],
    [
      'a bad tenant connector config',
      { tenants: [acme({ connectors: [app({ config: { baseUrl: 'x' } })] })] },
      'tenants[0].connectors[0].config.baseUrl',
    ],
    [
      'duplicate instance ids in a tenant',
      { tenants: [acme({ connectors: [app(), app()] })] },
      'tenants[0].connectors[1].id: duplicate id "app" (also tenants[0].connectors[0])',
    ],
    ['a misspelt key in a tenant', { tenants: [acme({ inbound: { scim: { auht: {} } } })] }, 'tenants[0].inbound.scim.auht: unknown key'],
  ])('refuses %s at its path', (_name, raw, expected) => {
    expect(problems(raw).join('\n')).toContain(expected);
  });

  it('refuses a credential that would open two tenants, by token, by password and by token issuer', () => {
    const shared = { name: 'hr', token: 'the-same-token-0123456789' };
    expect(
      problems({
        inbound: { scim: { auth: { bearer: [shared] } } },
        tenants: [acme({ inbound: { scim: { auth: { bearer: [shared] } } } })],
      }),
    ).toEqual([expect.stringContaining('tenants[0].inbound.scim.auth.bearer[0]: the same credential also opens the default tenant')]);
    const basic = { username: 'scim', password: 'same-password-123' };
    expect(
      problems({
        tenants: [
          acme({ inbound: { scim: { auth: { basic: [basic] } } } }),
          acme({ domain: 'globex.com', inbound: { scim: { auth: { basic: [basic] } } } }),
        ],
      }),
    ).toEqual([expect.stringContaining('tenants[1].inbound.scim.auth.basic[0]: the same credential also opens tenants[0]')]);
    // The same username with another password is another credential: allowed.
    expect(
      problems({
        tenants: [
          acme({ inbound: { scim: { auth: { basic: [basic] } } } }),
          acme({ domain: 'globex.com', inbound: { scim: { auth: { basic: [{ ...basic, password: 'another-password-1' }] } } } }),
        ],
      }),
    ).toEqual([]);
    const jwt = { name: 'entra', issuer: 'https://login.example.com/', audience: 'provisio', jwksUri: 'https://login.example.com/keys' };
    expect(problems({ admin: { auth: { jwt: [jwt] } }, tenants: [acme({ admin: { auth: { jwt: [jwt] } } })] })).toEqual([
      expect.stringContaining('tenants[0].admin.auth.jwt[0]: the same credential also opens the default tenant'),
    ]);
  });

  it('refuses instances that share a rateLimit.key with different rates, at the later one', () => {
    const limited = (perSecond: number) => app({ rateLimit: { perSecond, key: 'one-org' } });
    expect(problems({ connectors: [limited(10)], tenants: [acme({ connectors: [limited(10)] })] })).toEqual([]);
    expect(problems({ connectors: [limited(10)], tenants: [acme({ connectors: [limited(20)] })] })).toEqual([
      expect.stringContaining('tenants[0].connectors[0].rateLimit: shares key "one-org" with connectors[0].rateLimit'),
    ]);
  });
});
