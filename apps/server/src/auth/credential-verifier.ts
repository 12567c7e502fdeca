import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from '@provisio/core';
import type { authSchema } from '@provisio/core/engine';
import { configuredSubjectKey } from './client-certificate.js';

type AuthConfig = z.output<typeof authSchema>;

export interface Principal {
  name: string;
  readOnly: boolean;
  /** Let into a tenant's admin API as the super admin (the default tenant's admin.auth). */
  superAdmin?: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

interface StoredSecret {
  name: string;
  digest: Buffer;
  readOnly: boolean;
  /** Accepted only with a verified client certificate of this subject (its subjectKey). */
  clientSubject?: string;
}

/**
 * Checks `Authorization` headers against configured credentials. Everything is
 * compared as SHA-256 digests in constant time, so neither the secret nor its
 * length leaks through timing; a manifest may hold only the digests. A
 * credential with `clientSubject` is refused unless the connection presented a
 * verified client certificate of that subject (a stolen token alone is not enough).
 */
export class CredentialVerifier {
  private readonly bearer: StoredSecret[];
  private readonly basic: StoredSecret[];

  constructor(config: AuthConfig) {
    const bound = (subject: string | undefined) => (subject !== undefined ? { clientSubject: configuredSubjectKey(subject) } : {});
    this.bearer = config.bearer.map((c) => ({
      name: c.name,
      readOnly: c.readOnly,
      digest: c.token !== undefined ? sha256(c.token) : Buffer.from(c.tokenSha256 ?? '', 'hex'),
      ...bound(c.clientSubject),
    }));
    this.basic = config.basic.map((c) => ({
      name: c.username,
      readOnly: c.readOnly,
      digest: c.password !== undefined ? sha256(c.password) : Buffer.from(c.passwordSha256 ?? '', 'hex'),
      ...bound(c.clientSubject),
    }));
  }

  get configured(): boolean {
    return this.bearer.length > 0 || this.basic.length > 0;
  }

  /** `clientSubject`: the verified client certificate's subject key on this connection (verifiedClientSubject), if any. */
  verify(authorization: string | undefined, clientSubject?: string): Principal | undefined {
    const found = this.find(authorization);
    if (!found) return undefined;
    if (found.clientSubject !== undefined && found.clientSubject !== clientSubject) return undefined;
    return { name: found.name, readOnly: found.readOnly };
  }

  private find(authorization: string | undefined): StoredSecret | undefined {
    if (!authorization) return undefined;
    const [scheme, value] = authorization.split(/\s+/, 2);
    if (!value) return undefined;
    if (scheme.toLowerCase() === 'bearer') return this.match(this.bearer, sha256(value));
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const username = decoded.slice(0, colon);
      return this.match(
        this.basic.filter((c) => c.name === username),
        sha256(decoded.slice(colon + 1)),
      );
    }
    return undefined;
  }

  private match(candidates: readonly StoredSecret[], digest: Buffer): StoredSecret | undefined {
    let found: StoredSecret | undefined;
    // Compare with every candidate, not stopping at the first match: constant work.
    for (const candidate of candidates) {
      if (candidate.digest.length === digest.length && timingSafeEqual(candidate.digest, digest)) found ??= candidate;
    }
    return found;
  }
}
