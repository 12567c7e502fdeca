import type { ServerOptions } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { TlsConfig } from '@provisio/core/engine';

/** The oldest protocol served: TLS 1.0 and 1.1 are broken (RFC 8996). */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** What `server.setSecureContext` takes: the certificate and key (or PKCS#12 bundle) and the client CAs. */
export function secureContextOptions(tls: TlsConfig): SecureContextOptions {
  const identity: SecureContextOptions =
    tls.pfx !== undefined ? { pfx: Buffer.from(tls.pfx.replace(/\s+/g, ''), 'base64') } : { cert: tls.cert, key: tls.key };
  return {
    minVersion: MIN_TLS_VERSION,
    ...identity,
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
  };
}

/**
 * Options of the HTTPS server. With `requestClientCert` the server asks for a
 * certificate and verifies it against `ca`, but still lets a client without one
 * in: whether a request may go on is the credential's decision (`clientSubject`),
 * so credentials not bound to a certificate keep working on the same port.
 */
export function httpsServerOptions(tls: TlsConfig): ServerOptions {
  return { ...secureContextOptions(tls), requestCert: tls.requestClientCert, rejectUnauthorized: false };
}
