import { z } from 'zod';
import { buildContainer } from '../di/container-builder.js';
import { asServiceId, TOKENS } from '../di/tokens.js';
import { defineConnector } from '../connector/define-connector.js';
import { definePlugin } from '../plugin/define-plugin.js';
import type { OutboundConnector } from '../connector/outbound-connector.js';
import { formatProblem } from './manifest-problems.js';
import { manifestSecretValues, validateManifest } from './manifest-validation.js';
import { manifestJsonSchema } from './manifest-json-schema.js';

const acme = defineConnector({
  type: 'acme',
  displayName: 'Acme directory',
  configSchema: z.object({ baseUrl: z.url() }),
  secretFields: [],
  capabilities: { users: true, groups: false },
  create: (): OutboundConnector => {
    throw new Error('not created in these tests');
  },
});

function registry() {
  return buildContainer({ plugins: [definePlugin({ name: 'acme-plugin', connectors: [acme] })] }).get(
    asServiceId(TOKENS.ConnectorTypeRegistry),
  );
}

const instance = (extra: Record<string, unknown>) => ({
  connectors: [{ id: 'acme-1', type: 'acme', config: { baseUrl: 'https://acme.test' }, ...extra }],
});

function problems(raw: unknown): string[] {
  const result = validateManifest(raw, registry());
  return result.ok ? [] : result.problems.map((p) => formatProblem(p));
}

describe('manifest: quarantine', () => {
  it('defaults to 90 % of at least 20 calls in 10 minutes, probes from 1 min doubling to 1 h', () => {
    const result = validateManifest(instance({}), registry());
    expect(result.ok && result.manifest.connectors[0].quarantine).toEqual({
      failureRate: 0.9,
      minCalls: 20,
      windowMs: 600_000,
      probe: { firstMs: 60_000, maxMs: 3_600_000 },
    });
  });

  it('takes durations in seconds for tests, and false to turn it off', () => {
    const on = validateManifest(
      instance({ quarantine: { failureRate: 0.5, minCalls: 5, window: '30s', probe: { first: '2s', max: 8 } } }),
      registry(),
    );
    expect(on.ok && on.manifest.connectors[0].quarantine).toEqual({
      failureRate: 0.5,
      minCalls: 5,
      windowMs: 30_000,
      probe: { firstMs: 2_000, maxMs: 8_000 },
    });
    const off = validateManifest(instance({ quarantine: false }), registry());
    expect(off.ok && off.manifest.connectors[0].quarantine).toBe(false);
  });

  it('rejects a bad rate, a malformed window and a misspelt key at their exact paths', () => {
    const found = problems(instance({ quarantine: { failureRate: 1.5, window: 'ten minutes', probe: { frist: '1m' } } }));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connectors\[0\]\.quarantine\.failureRate: .*1/),
        expect.stringMatching(/^connectors\[0\]\.quarantine\.window: "ten minutes" is not a duration; write e\.g\. 30s, 10m, 1h/),
        expect.stringMatching(/^connectors\[0\]\.quarantine\.probe\.frist: unknown key; did you mean first\?/),
      ]),
    );
    expect(problems(instance({ quarantine: { minCalls: 0 } }))).toEqual([
      expect.stringMatching(/^connectors\[0\]\.quarantine\.minCalls: /),
    ]);
    expect(problems(instance({ quarantine: { probe: { first: '2h', max: '1h' } } }))).toEqual([
      expect.stringMatching(/^connectors\[0\]\.quarantine\.probe: probe\.first must not be longer than probe\.max/),
    ]);
  });
});

describe('manifest: notifications', () => {
  const valid = {
    webhooks: [{ url: 'https://hooks.example.com/provisio', secret: 'a-webhook-signing-secret', events: ['quarantine.entered'] }],
    smtp: {
      host: 'smtp.example.com',
      port: 587,
      auth: { user: 'provisio', pass: 'smtp-pass-123' },
      from: 'provisio@example.com',
      to: 'ops@example.com',
    },
    batchInterval: '2m',
  };

  it('accepts webhooks and SMTP; the signing secret and the SMTP password are secrets', () => {
    const result = validateManifest({ notifications: valid }, registry());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.notifications.smtp?.to).toEqual(['ops@example.com']);
    expect(result.manifest.notifications.batchInterval).toBe(120_000);
    expect(manifestSecretValues(result.manifest, registry())).toEqual(
      expect.arrayContaining(['a-webhook-signing-secret', 'smtp-pass-123']),
    );
    const schema = JSON.stringify(manifestJsonSchema(registry()));
    expect(schema).toContain('"writeOnly":true');
  });

  it('defaults to no receivers and a 5 minute batch of failed jobs', () => {
    const result = validateManifest({}, registry());
    expect(result.ok && result.manifest.notifications).toEqual({ webhooks: [], batchInterval: 300_000 });
  });

  it('allows plain http only to a loopback receiver', () => {
    expect(problems({ notifications: { webhooks: [{ url: 'http://127.0.0.1:9000/hook' }, { url: 'http://[::1]:9000/hook' }] } })).toEqual(
      [],
    );
    expect(problems({ notifications: { webhooks: [{ url: 'http://hooks.example.com/x' }] } })).toEqual([
      'notifications.webhooks[0].url: must be an https:// URL (plain http:// only to a loopback host: 127.0.0.1, ::1, localhost)',
    ]);
    expect(problems({ notifications: { webhooks: [{ url: 'not a url' }] } })).toEqual([
      'notifications.webhooks[0].url: "not a url" is not a URL',
    ]);
  });

  it('rejects a bad email address, an unknown event, a short secret and a misspelt key at their paths', () => {
    const found = problems({
      notifications: {
        webhooks: [{ url: 'https://h.example.com', secret: 'short', events: ['quarantine.entred'] }],
        smtp: { ...valid.smtp, from: 'not-an-address', to: ['ops@example.com', 'oncall'], prot: 25 },
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notifications\.webhooks\[0\]\.secret: must be at least 16 characters/),
        expect.stringMatching(/^notifications\.webhooks\[0\]\.events\[0\]: /),
        'notifications.smtp.from: must be an email address like ops@example.com',
        'notifications.smtp.to[1]: must be an email address like ops@example.com',
        expect.stringMatching(/^notifications\.smtp\.prot: unknown key; did you mean port\?/),
      ]),
    );
  });
});
