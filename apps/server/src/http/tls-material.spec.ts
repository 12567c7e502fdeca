import { encryptedKey, TestCa, toPfxBase64 } from '../../test/tls-certificates.js';
import { checkTlsMaterial } from './tls-material.js';

const ca = new TestCa();
const good = ca.server();
const other = ca.server();
const DAY = 24 * 60 * 60 * 1000;

describe('checkTlsMaterial', () => {
  it('accepts a matching certificate and key, and reports the certificate it serves', () => {
    const check = checkTlsMaterial({ ...good, requestClientCert: false });
    expect(check.problems).toEqual([]);
    expect(check.validity).toEqual([]);
    expect(check.material?.certificate.subject).toBe('CN=localhost');
  });

  it('says when the key does not match the certificate', () => {
    expect(checkTlsMaterial({ cert: good.cert, key: other.key, requestClientCert: false }).problems).toEqual([
      { path: 'server.tls.key', message: 'the private key does not match the certificate in server.tls.cert' },
    ]);
  });

  it('says when the passphrase of an encrypted key or a PKCS#12 bundle is wrong or missing', () => {
    const key = encryptedKey(good, 'right-passphrase');
    expect(checkTlsMaterial({ cert: good.cert, key, passphrase: 'right-passphrase', requestClientCert: false }).problems).toEqual([]);
    expect(checkTlsMaterial({ cert: good.cert, key, passphrase: 'wrong-passphrase', requestClientCert: false }).problems).toEqual([
      { path: 'server.tls.passphrase', message: 'wrong passphrase: it does not decrypt the key' },
    ]);
    const pfx = toPfxBase64(good, 'pfx-passphrase');
    expect(checkTlsMaterial({ pfx, passphrase: 'pfx-passphrase', requestClientCert: false }).material?.certificate.subject).toBe(
      'CN=localhost',
    );
    expect(checkTlsMaterial({ pfx, passphrase: 'nope', requestClientCert: false }).problems).toEqual([
      { path: 'server.tls.passphrase', message: 'wrong passphrase: it does not decrypt the pfx bundle' },
    ]);
  });

  it('reports an expired or not yet valid certificate, from PEM or PKCS#12', () => {
    const expired = ca.server({ notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    const check = checkTlsMaterial({ ...expired, requestClientCert: false });
    expect(check.problems).toEqual([]);
    expect(check.validity).toEqual([
      { path: 'server.tls.cert', message: expect.stringMatching(/^the certificate \(CN=localhost\) has expired: valid until /) },
    ]);
    const future = ca.server({ notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) });
    expect(checkTlsMaterial({ pfx: toPfxBase64(future, 'pw'), passphrase: 'pw', requestClientCert: false }).validity).toEqual([
      { path: 'server.tls.pfx', message: expect.stringMatching(/^the certificate \(CN=localhost\) is not valid yet: valid from /) },
    ]);
  });

  it('reports text that is no certificate, without echoing the key', () => {
    const check = checkTlsMaterial({ cert: 'not a certificate', key: good.key, requestClientCert: false });
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0].path).toMatch(/^server\.tls/);
    expect(check.problems[0].message).toMatch(/^cannot be used for TLS: /);
    expect(JSON.stringify(check.problems)).not.toContain(good.key.split('\n')[1]);
  });
});
