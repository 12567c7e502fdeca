import type { IncomingMessage } from 'node:http';
import type { AuthOutcome, Authenticator } from './authenticator.js';

/** An outcome of the admin gate: an Authenticator's, or 404 for another tenant's admin. */
export type AdminOutcome = AuthOutcome | { ok: false; status: 404; message: string; headers: Record<string, string> };

/** What admin routes ask of their credentials: an Authenticator, or a TenantAdminGate over several. */
export interface AdminAuthenticator {
  authenticate(authorization: string | undefined, request?: IncomingMessage): Promise<AdminOutcome>;
}

/**
 * The admin API of one tenant when there are several: its own admin credentials, and the super admin's (the
 * default tenant's `admin.auth`), are let in; another tenant's admin credential gets 404, as if nothing were
 * here, so a tenant admin learns nothing of other tenants; anything else is refused by the tenant's own block
 * (401, counted by its failed-attempt throttle). `own` absent: a domain that is no tenant (everyone known gets 404).
 */
export class TenantAdminGate implements AdminAuthenticator {
  constructor(
    private readonly blocks: { own?: Authenticator; superAdmin?: Authenticator; others: readonly Authenticator[]; refuse: Authenticator },
  ) {}

  async authenticate(authorization: string | undefined, request?: IncomingMessage): Promise<AdminOutcome> {
    const own = await this.blocks.own?.recognizes(authorization, request);
    if (own) return { ok: true, principal: own };
    const superAdmin = await this.blocks.superAdmin?.recognizes(authorization, request);
    if (superAdmin) return { ok: true, principal: { ...superAdmin, superAdmin: true } };
    for (const other of this.blocks.others)
      if (await other.recognizes(authorization, request)) return { ok: false, status: 404, message: 'not found', headers: {} };
    return this.blocks.refuse.authenticate(authorization, request);
  }
}
