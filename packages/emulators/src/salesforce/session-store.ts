// Access tokens ("session ids") and refresh tokens. Sessions time out after
// inactivity, like Salesforce sessions: every successful call extends them.
import { randomToken } from './secrets.js';

export interface Session {
  userId: string;
  clientId: string;
  grantType: string;
  issuedAt: number;
  expiresAt: number;
}

export interface RefreshGrant {
  clientId: string;
  userId: string;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly orgId: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tokens look like real ones: the 15-char org id, '!', then opaque text. */
  issue(userId: string, clientId: string, grantType: string): { accessToken: string; session: Session } {
    const accessToken = `${this.orgId.slice(0, 15)}!${randomToken(72)}`;
    const issuedAt = this.now();
    const session = { userId, clientId, grantType, issuedAt, expiresAt: issuedAt + this.ttlMs };
    this.sessions.set(accessToken, session);
    return { accessToken, session };
  }

  /** The live session for a token, extended by this use; undefined when unknown or timed out. */
  use(accessToken: string): Session | undefined {
    const session = this.sessions.get(accessToken);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt <= now) {
      this.sessions.delete(accessToken);
      return undefined;
    }
    session.expiresAt = now + this.ttlMs;
    return session;
  }

  revoke(token: string): boolean {
    return this.sessions.delete(token) || this.refreshTokens.delete(token);
  }

  expireAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  activeCount(): number {
    const now = this.now();
    let count = 0;
    for (const session of this.sessions.values()) if (session.expiresAt > now) count++;
    return count;
  }

  addRefreshToken(refreshToken: string, grant: RefreshGrant): void {
    this.refreshTokens.set(refreshToken, grant);
  }

  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    return this.refreshTokens.get(refreshToken);
  }
}
