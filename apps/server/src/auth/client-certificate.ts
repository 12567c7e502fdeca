import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/**
 * A distinguished name as a comparable key: attribute types upper-cased, pairs
 * sorted, spaces around separators dropped. "CN=okta, o=Example" and the
 * certificate subject { O: 'Example', CN: 'okta' } give the same key.
 */
export function subjectKey(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(([type, value]) => `${type.trim().toUpperCase()}=${value.trim()}`)
    .sort()
    .join(',');
}

/** The key of a `clientSubject` from the manifest ("CN=okta-scim,O=Example"; the schema checked its shape). */
export function configuredSubjectKey(subject: string): string {
  return subjectKey(
    subject.split(',').map((pair) => {
      const equals = pair.indexOf('=');
      return [pair.slice(0, equals), pair.slice(equals + 1)] as const;
    }),
  );
}

/**
 * The subject key of the client certificate on `socket`, only when the TLS
 * handshake verified it against `server.tls.ca`; undefined on plain HTTP, with
 * no certificate, or with one the CA did not issue.
 */
export function verifiedClientSubject(socket: Socket | undefined): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate || !certificate.subject) return undefined;
  const pairs: [string, string][] = [];
  for (const [type, value] of Object.entries(certificate.subject as unknown as Record<string, string | string[]>)) {
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([type, one]);
  }
  return subjectKey(pairs);
}
