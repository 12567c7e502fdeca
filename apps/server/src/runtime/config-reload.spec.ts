import { manifestSchema } from '@provisio/core/engine';
import { restartOnlyChanges } from './config-reload.js';

const manifest = (input: Record<string, unknown>) => manifestSchema.parse(input);

describe('restartOnlyChanges', () => {
  const base = {
    server: { port: 8080 },
    connectors: [{ id: 'a', type: 'memory' }],
    inbound: { scim: { auth: { bearer: [{ name: 'hr', token: 'old-token-0123456789' }] } } },
  };

  it('allows what a reload can swap: connectors, credentials, mappings', () => {
    const next = {
      ...base,
      connectors: [
        { id: 'a', type: 'memory', mapping: { userName: 'userName' } },
        { id: 'b', type: 'memory' },
      ],
      inbound: { scim: { auth: { bearer: [{ name: 'hr', token: 'new-token-4567890123' }] } } },
      admin: { auth: { bearer: [{ name: 'ops', token: 'admin-token-8901234567' }] } },
    };
    expect(restartOnlyChanges(manifest(base), manifest(next))).toEqual([]);
  });

  it('names every section that needs a restart', () => {
    const next = {
      ...base,
      server: { port: 9090 },
      store: { type: 'sqlite', path: 'elsewhere.db' },
      inbound: { scim: { basePath: '/identity', auth: base.inbound.scim.auth } },
    };
    expect(restartOnlyChanges(manifest(base), manifest(next))).toEqual(['server', 'store', 'inbound.scim.basePath']);
  });

  it('lets a reload replace the TLS certificate, key and CAs, but not switch TLS on or off or change client-certificate requests', () => {
    const tls = { cert: 'CERT-1', key: 'KEY-1', ca: 'CA-1', requestClientCert: true };
    const withTls = (t: Record<string, unknown>) => ({ ...base, server: { port: 8080, tls: t } });
    expect(restartOnlyChanges(manifest(withTls(tls)), manifest(withTls({ ...tls, cert: 'CERT-2', key: 'KEY-2', ca: 'CA-2' })))).toEqual([]);
    expect(restartOnlyChanges(manifest(base), manifest(withTls(tls)))).toEqual(['server.tls (TLS switched on)']);
    expect(restartOnlyChanges(manifest(withTls(tls)), manifest(base))).toEqual(['server.tls (TLS switched off)']);
    expect(restartOnlyChanges(manifest(withTls(tls)), manifest(withTls({ ...tls, requestClientCert: false })))).toEqual([
      'server.tls.requestClientCert',
    ]);
    expect(restartOnlyChanges(manifest(withTls(tls)), manifest({ ...withTls(tls), server: { port: 9090, tls } }))).toEqual(['server']);
  });
});
