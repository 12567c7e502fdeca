import { type MappedAttributes, type RemoteRequestPreview, type UserPreviewOperation } from '@provisio/core';
import { changedAttributes, userView, type LinkRecord, type ProvisioningTarget, type Store, type UserRecord } from '@provisio/core/engine';
import { linkView } from './admin-views.js';

/** What a sync of this user to this instance would do now, decided as the job executor decides it. */
export interface UserSyncPreview {
  user: { id: string; userName: string };
  inScope: boolean;
  /** Remote fields after mapping, defaults and transforms. */
  attributes: MappedAttributes | null;
  /** The provisioning pattern's account name, when the instance has a pattern. */
  accountName: string | null;
  link: ReturnType<typeof linkView> | null;
  operation: 'create' | 'update' | 'none' | 'out of scope';
  /** On update: only the fields whose value changed since the last sync (null clears). */
  changed: MappedAttributes | null;
  /** The exact requests, when the connector type offers a preview; null when it does not. */
  requests: RemoteRequestPreview[] | null;
  /** When the account exists: what creating it would send (the full payload), for comparison. */
  createRequests: RemoteRequestPreview[] | null;
  /** Why the preview stops short (a mapping error, a request the connector refuses to build). */
  error: string | null;
}

/**
 * Mapping, defaults, pattern and the link applied to one user, then the
 * connector's own request builder (`previewUser`), without writing anything.
 * Passwords are never unsealed here: a waiting password would also be sent.
 */
export async function previewUserSync(store: Store, target: ProvisioningTarget, record: UserRecord): Promise<UserSyncPreview> {
  const user = userView(record, await store.groupsOfMember(record.id));
  const link = (await store.getLink(target.id, 'user', record.id)) ?? null;
  const base: UserSyncPreview = {
    user: { id: record.id, userName: record.userName },
    inScope: target.userInScope(user),
    attributes: null,
    accountName: null,
    link: link && linkView(link),
    operation: 'out of scope',
    changed: null,
    requests: null,
    createRequests: null,
    error: null,
  };
  if (!base.inScope) return base;
  let attributes: MappedAttributes;
  let accountName: string | undefined;
  try {
    attributes = target.mapUser(user);
    accountName = target.accountName(user);
  } catch (error) {
    return { ...base, operation: link?.remoteId ? 'update' : 'create', error: `mapping failed: ${(error as Error).message}` };
  }
  const payload = { localId: record.id, user, attributes, accountName };
  const decided = decide(link, payload);
  const result: UserSyncPreview = {
    ...base,
    attributes,
    accountName: accountName ?? null,
    operation: decided.operation,
    changed: decided.operation === 'update' ? decided.changed : null,
  };
  const connector = target.instance.connector;
  if (!connector.previewUser) return result;
  try {
    const requests = decided.request ? await connector.previewUser(decided.request) : [];
    const createRequests = decided.operation === 'create' ? null : await connector.previewUser({ kind: 'create', payload });
    return { ...result, requests, createRequests };
  } catch (error) {
    return { ...result, error: (error as Error).message };
  }
}

type Decision = { operation: 'create' | 'update' | 'none'; changed: MappedAttributes; request?: UserPreviewOperation };

/** The job executor's choice for a sync: create without a remote account, else update what changed (or nothing). */
function decide(
  link: LinkRecord | null,
  payload: { localId: string; user: UserRecord['resource']; attributes: MappedAttributes; accountName?: string },
): Decision {
  if (!link?.remoteId) return { operation: 'create', changed: {}, request: { kind: 'create', payload } };
  const reactivate = link.remoteActive === false;
  const changed = reactivate ? payload.attributes : changedAttributes(link.syncedAttributes, payload.attributes);
  const renamed = payload.accountName !== undefined && payload.accountName !== link.remoteName;
  if (Object.keys(changed).length === 0 && !renamed && !reactivate) return { operation: 'none', changed };
  return {
    operation: 'update',
    changed,
    request: { kind: 'update', update: { ...payload, remoteId: link.remoteId, changed, reactivate, previousAccountName: link.remoteName } },
  };
}
