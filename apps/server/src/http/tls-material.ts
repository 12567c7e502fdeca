import { X509Certificate } from 'node:crypto';
import { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { ManifestProblem, TlsConfig } from '@provisio/core/engine';
import { secureContextOptions } from './tls-options.js';

interface TlsMaterial {
  context: SecureContext;
  certificate: X509Certificate;
}

/**
 * `problems`: the material cannot be served (key mismatch, wrong passphrase, not a
 * certificate). `validity`: it can, but clients will refuse it (expired, not yet valid).
 */
export interface TlsCheck {
  material?: TlsMaterial;
  problems: ManifestProblem[];
  validity: ManifestProblem[];
}

/** OpenSSL's reasons, in words that name the manifest field to fix. Never the key material itself. */
function explain(error: Error, tls: TlsConfig): ManifestProblem {
  const message = error.message;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(message)) {
    return { path: 'server.tls.key', message: 'the private key does not match the certificate in server.tls.cert' };
  }
  if (/mac verify failure|bad decrypt|bad password|unable to decrypt|interrupted or cancelled/i.test(message)) {
    return {
      path: 'server.tls.passphrase',
      message:
        tls.passphrase === undefined
          ? `the ${tls.pfx !== undefined ? 'pfx bundle' : 'key'} is encrypted: give its passphrase`
          : `wrong passphrase: it does not decrypt the ${tls.pfx !== undefined ? 'pfx bundle' : 'key'}`,
    };
  }
  const field =
    tls.pfx !== undefined
      ? 'server.tls.pfx'
      : /certificate|x509|PEM routines::no start line/i.test(message) && !/key/i.test(message)
        ? 'server.tls.cert'
        : 'server.tls';
  return { path: field, message: `cannot be used for TLS: ${message.replace(/^error:[0-9A-F]+:/, '')}` };
}

/**
 * Builds the secure context `server.tls` describes and checks it: the key fits
 * the certificate, the passphrase decrypts, the certificate is valid at `now`.
 * Used by `provisio validate`, at start and before a reload swaps certificates.
 */
export function checkTlsMaterial(tls: TlsConfig, now: Date = new Date()): TlsCheck {
  let context: SecureContext;
  try {
    context = createSecureContext(secureContextOptions(tls));
  } catch (error) {
    return { problems: [explain(error as Error, tls)], validity: [] };
  }
  // The certificate the context serves (from PEM or PKCS#12 alike), read through a socket that never connects.
  const probe = new TLSSocket(new Socket(), { secureContext: context, isServer: true });
  const raw = probe.getCertificate();
  probe.destroy();
  const where = tls.pfx !== undefined ? 'server.tls.pfx' : 'server.tls.cert';
  if (!raw || !('raw' in raw)) return { problems: [{ path: where, message: 'holds no certificate' }], validity: [] };
  const certificate = new X509Certificate(raw.raw);
  const validity: ManifestProblem[] = [];
  const subject = certificate.subject.replace(/\n/g, ', ');
  if (now < new Date(certificate.validFrom))
    validity.push({ path: where, message: `the certificate (${subject}) is not valid yet: valid from ${certificate.validFrom}` });
  if (now > new Date(certificate.validTo))
    validity.push({ path: where, message: `the certificate (${subject}) has expired: valid until ${certificate.validTo}` });
  return { material: { context, certificate }, problems: [], validity };
}
