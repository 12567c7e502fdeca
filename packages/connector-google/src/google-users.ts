import {
  MASK,
  PermanentError,
  type DeletionResult,
  type RemoteCallOptions,
  type RemoteRef,
  type RemoteRequestPreview,
  type UserDeletion,
  type UserLookup,
  type UserPayload,
  type UserPreviewOperation,
  type UserUpdate,
} from '@provisio/core';
import type { GoogleConfig } from './google-config.js';
import type { GoogleSession } from './google-session.js';
import { aliasesOf, primaryEmailOf, refOf, remoteNameOf, toInsertBody, toPatchBody } from './google-user-mapper.js';

const USERS_PATH = '/admin/directory/v1/users';

/** Google Workspace users, one call at a time: insert, patch, suspend or delete, find, and their aliases. */
export class GoogleUsers {
  constructor(
    private readonly session: GoogleSession,
    private readonly config: GoogleConfig,
  ) {}

  async create(payload: UserPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const body = toInsertBody(payload, this.config);
    const email = body.primaryEmail as string;
    const { data } = await this.session.call(`users.insert ${email}`, (d, o) => d.users.insert({ requestBody: body }, o), { signal });
    const ref = refOf(data, remoteNameOf(payload, email));
    const aliases = aliasesOf(payload.attributes);
    if (aliases) await this.addAliases(ref.remoteId, aliases, signal);
    return ref;
  }

  /** The bodies create/update send (same mapper functions), the password masked. */
  preview(operation: UserPreviewOperation): RemoteRequestPreview[] {
    if (operation.kind === 'create') {
      const body = toInsertBody(operation.payload, this.config);
      const aliases = aliasesOf(operation.payload.attributes) ?? [];
      return [
        { operation: 'users.insert', method: 'POST', path: USERS_PATH, body: { ...body, password: MASK } },
        ...aliases.map((alias) => ({
          operation: 'users.aliases.insert',
          method: 'POST',
          path: `${USERS_PATH}/{new user id}/aliases`,
          body: { alias },
        })),
      ];
    }
    const { update } = operation;
    const body = toPatchBody(update, this.config);
    const requests: RemoteRequestPreview[] =
      Object.keys(body).length > 0 ? [{ operation: 'users.patch', method: 'PATCH', path: `${USERS_PATH}/${update.remoteId}`, body }] : [];
    const aliases = 'aliases' in update.changed ? aliasesOf(update.changed) : undefined;
    if (aliases)
      requests.push({
        operation: 'aliases (list, then insert and delete the difference)',
        method: 'POST',
        path: `${USERS_PATH}/${update.remoteId}/aliases`,
        body: { aliases },
      });
    return requests;
  }

  async update(update: UserUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const body = toPatchBody(update, this.config);
    const email = primaryEmailOf(update, this.config.domain);
    if (Object.keys(body).length > 0) {
      await this.session.call(
        `users.patch ${email ?? update.remoteId}`,
        (d, o) => d.users.patch({ userKey: update.remoteId, requestBody: body }, o),
        { signal },
      );
    }
    const aliases = 'aliases' in update.changed ? aliasesOf(update.changed) : undefined;
    if (aliases) await this.syncAliases(update.remoteId, aliases, signal);
    return { remoteId: update.remoteId, ...(email ? { remoteName: remoteNameOf(update, email) } : {}) };
  }

  async delete(deletion: UserDeletion, { signal }: RemoteCallOptions = {}): Promise<DeletionResult> {
    const userKey = deletion.remoteId;
    if ((deletion.mode ?? this.config.deleteMode) === 'delete') {
      await this.session.call(`users.delete ${userKey}`, (d, o) => d.users.delete({ userKey }, o), { onNotFound: () => undefined, signal });
      return { mode: 'deleted' };
    }
    const suspended = await this.session.call(
      `users.patch ${userKey} (suspend)`,
      async (d, o) => {
        await d.users.patch({ userKey, requestBody: { suspended: true } }, o);
        return true;
      },
      { onNotFound: () => false, signal },
    );
    // Already gone: nothing left to reactivate later.
    return { mode: suspended ? 'deactivated' : 'deleted' };
  }

  /** By primary email first, then by externalId (more than one match needs a human). */
  async find(lookup: UserLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    if (lookup.match?.length) {
      // The instance's match rules, in order: primaryEmail (or an alias) by users.get, externalId by a query.
      for (const key of lookup.match) {
        const found =
          key.remote === 'primaryEmail'
            ? await this.byEmail(primaryEmailOf({ accountName: key.value, attributes: {} }, this.config.domain) ?? key.value, signal)
            : await this.byExternalId(key.value, signal);
        if (found) return found;
      }
      return null;
    }
    const email = primaryEmailOf(lookup, this.config.domain);
    if (email) {
      const found = await this.byEmail(email, signal, remoteNameOf(lookup, email));
      if (found) return found;
    }
    const externalId = lookup.attributes['externalId'];
    if (typeof externalId !== 'string' || externalId === '') return null;
    return this.byExternalId(externalId, signal);
  }

  private async byEmail(email: string, signal: AbortSignal | undefined, remoteName?: string): Promise<RemoteRef | null> {
    const found = await this.session.call(`users.get ${email}`, async (d, o) => (await d.users.get({ userKey: email }, o)).data, {
      onNotFound: () => null,
      signal,
    });
    return found ? refOf(found, remoteName) : null;
  }

  private async byExternalId(externalId: string, signal: AbortSignal | undefined): Promise<RemoteRef | null> {
    const quoted = externalId.includes("'") ? `"${externalId}"` : `'${externalId}'`;
    const { data } = await this.session.call(
      `users.list externalId`,
      (d, o) => d.users.list({ customer: this.config.customer, query: `externalId:${quoted}`, maxResults: 2 }, o),
      { signal },
    );
    const users = data.users ?? [];
    if (users.length > 1) throw new PermanentError(`more than one Google user has externalId ${externalId}: link the account by hand`);
    return users[0] ? refOf(users[0]) : null;
  }

  private async addAliases(userKey: string, aliases: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    for (const alias of aliases) {
      await this.session.call(`users.aliases.insert ${alias}`, (d, o) => d.users.aliases.insert({ userKey, requestBody: { alias } }, o), {
        onDuplicate: () => undefined,
        signal,
      });
    }
  }

  /** Aliases are a list Google keeps apart from the user: add the missing, remove the extra. */
  private async syncAliases(userKey: string, wanted: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    const { data } = await this.session.call(`users.aliases.list ${userKey}`, (d, o) => d.users.aliases.list({ userKey }, o), { signal });
    const current = (data.aliases ?? []).map((a) => (a as { alias?: string }).alias).filter((a): a is string => typeof a === 'string');
    await this.addAliases(
      userKey,
      wanted.filter((a) => !current.includes(a)),
      signal,
    );
    for (const alias of current.filter((a) => !wanted.includes(a))) {
      await this.session.call(`users.aliases.delete ${alias}`, (d, o) => d.users.aliases.delete({ userKey, alias }, o), {
        onNotFound: () => undefined,
        signal,
      });
    }
  }
}
