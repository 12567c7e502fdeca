// Access tokens issued by the emulator's token endpoint, with expiry and revocation.
import { newAccessToken } from './google-ids.js';

export interface TokenGrant {
  clientEmail: string;
  /** The impersonated user (domain-wide delegation); absent when the service account acts as itself. */
  subject?: string;
  scopes: string[];
  expiresAt: number;
}

export class GoogleTokenStore {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(private readonly now: () => number) {}

  issue(grant: TokenGrant): string {
    const token = newAccessToken();
    this.grants.set(token, grant);
    return token;
  }

  lookup(token: string): TokenGrant | undefined {
    const grant = this.grants.get(token);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.now()) {
      this.grants.delete(token);
      return undefined;
    }
    return grant;
  }

  revokeAll(): void {
    this.grants.clear();
  }

  /** Token strings are secrets: inspection shows only who holds what, never the token itself. */
  describe(): Array<Omit<TokenGrant, 'expiresAt'> & { expiresAt: string }> {
    return [...this.grants.values()].map((g) => ({ ...g, expiresAt: new Date(g.expiresAt).toISOString() }));
  }
}
