import { httpsServerOptions, secureContextOptions } from './tls-options.js';

describe('secureContextOptions', () => {
  it('serves PEM cert and key with TLS 1.2 at least, and the client CAs', () => {
    expect(secureContextOptions({ cert: 'CERT', key: 'KEY', ca: 'CA', requestClientCert: true })).toEqual({
      minVersion: 'TLSv1.2',
      cert: 'CERT',
      key: 'KEY',
      ca: 'CA',
    });
  });

  it('decodes a base64 PKCS#12 bundle, line breaks and all, and passes its passphrase', () => {
    const bundle = Buffer.from('pkcs12 bytes \u0000\u00ff', 'latin1');
    const base64 = bundle.toString('base64').replace(/(.{8})/g, '$1\n');
    const options = secureContextOptions({ pfx: base64, passphrase: 'pw', requestClientCert: false });
    expect(options).toEqual({ minVersion: 'TLSv1.2', pfx: bundle, passphrase: 'pw' });
    expect(options).not.toHaveProperty('cert');
  });
});

describe('httpsServerOptions', () => {
  it('asks for client certificates only with requestClientCert, and leaves the decision to the credentials', () => {
    expect(httpsServerOptions({ cert: 'C', key: 'K', requestClientCert: false })).toMatchObject({
      requestCert: false,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    expect(httpsServerOptions({ cert: 'C', key: 'K', ca: 'CA', requestClientCert: true })).toMatchObject({
      requestCert: true,
      rejectUnauthorized: false,
      ca: 'CA',
    });
  });
});
