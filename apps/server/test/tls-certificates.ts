import forge from 'node-forge';

/** Certificates made in the test (never checked in): a CA, servers and clients it signs. */
export interface Pem {
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Subject attributes, e.g. { CN: 'okta-scim', O: 'Example' }. */
  subject: Record<string, string>;
  /** DNS names and IP addresses the certificate is for (servers). */
  altNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
  client?: boolean;
}

const keyPair = () => forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });

const attributes = (subject: Record<string, string>) => Object.entries(subject).map(([shortName, value]) => ({ shortName, value }));

let serial = 1;

function certificate(
  publicKey: forge.pki.PublicKey,
  subject: Record<string, string>,
  notBefore: Date,
  notAfter: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0') + Date.now().toString(16);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(attributes(subject));
  return cert;
}

const DAY = 24 * 60 * 60 * 1000;

export class TestCa {
  readonly cert: string;
  private readonly caCert: forge.pki.Certificate;
  private readonly caKey: forge.pki.rsa.PrivateKey;

  constructor(name = 'Provisio Test CA') {
    const keys = keyPair();
    const cert = certificate(keys.publicKey, { CN: name }, new Date(Date.now() - DAY), new Date(Date.now() + 30 * DAY));
    cert.setIssuer(attributes({ CN: name }));
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    this.caCert = cert;
    this.caKey = keys.privateKey;
    this.cert = forge.pki.certificateToPem(cert);
  }

  issue(options: IssueOptions): Pem {
    const keys = keyPair();
    const cert = certificate(
      keys.publicKey,
      options.subject,
      options.notBefore ?? new Date(Date.now() - DAY),
      options.notAfter ?? new Date(Date.now() + 30 * DAY),
    );
    cert.setIssuer(this.caCert.subject.attributes);
    const altNames = (options.altNames ?? []).map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name }));
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: !options.client, clientAuth: options.client === true },
      ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
    ]);
    cert.sign(this.caKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
  }

  /** A server certificate for the loopback addresses the tests use. */
  server(options: Partial<IssueOptions> = {}): Pem {
    return this.issue({ subject: { CN: 'localhost' }, altNames: ['localhost', '127.0.0.1', '::1'], ...options });
  }
}

/** The same certificate and key as a base64 PKCS#12 bundle (server.tls.pfx), encrypted with `passphrase`. */
export function toPfxBase64(pem: Pem, passphrase: string): string {
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(pem.key), [forge.pki.certificateFromPem(pem.cert)], passphrase, {
    algorithm: '3des',
  });
  return forge.util.encode64(forge.asn1.toDer(p12).getBytes());
}

/** The private key encrypted with `passphrase` (PEM). */
export function encryptedKey(pem: Pem, passphrase: string): string {
  return forge.pki.encryptRsaPrivateKey(forge.pki.privateKeyFromPem(pem.key), passphrase, { algorithm: 'aes256' });
}
