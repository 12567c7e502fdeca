import type { RemoteGroup } from '../connector/read-side.js';
import type { ProvisioningTarget } from '../pipeline/provisioning-target.js';
import type { LinkRecord } from '../store/records.js';
import type { Store } from '../store/store-ports.js';

/** Member ids shown per side in a report item: enough to act on, bounded for a 50,000-member group. */
const SHOWN_MEMBERS = 20;

/** The instance's group links that point at a group: remote id → link. Groups are few next to users. */
export async function linkedGroups(store: Store, target: ProvisioningTarget, pageSize = 500): Promise<Map<string, LinkRecord>> {
  const byRemote = new Map<string, LinkRecord>();
  for (
    let ids = await store.listGroupIds(undefined, pageSize);
    ids.length > 0;
    ids = await store.listGroupIds(ids[ids.length - 1], pageSize)
  )
    for (const link of await store.linksFor(target.id, 'group', ids))
      if (link.remoteId && link.status !== 'deprovisioned') byRemote.set(link.remoteId, link);
  return byRemote;
}

/**
 * The members a group should have on the target, as the group job writes them: the remote ids
 * of its member users that are provisioned, active and synced there.
 */
export async function wantedMembers(store: Store, target: ProvisioningTarget, memberIds: readonly string[]): Promise<string[]> {
  return (await store.linksFor(target.id, 'user', memberIds))
    .filter((l) => l.remoteId && l.remoteActive !== false && l.status === 'synced')
    .map((l) => l.remoteId as string);
}

export interface MembershipDifference {
  /** Wanted members the remote group lacks. */
  missing: string[];
  /** Remote members Provisio does not want there. */
  extra: string[];
}

export function membershipDifference(remote: RemoteGroup, wanted: readonly string[]): MembershipDifference | undefined {
  const has = new Set(remote.memberRemoteIds);
  const wants = new Set(wanted);
  const missing = wanted.filter((id) => !has.has(id));
  const extra = remote.memberRemoteIds.filter((id) => !wants.has(id));
  return missing.length + extra.length === 0 ? undefined : { missing, extra };
}

/** The report's view of a difference: counts, and the first member ids of each side. */
export function describeDifference({ missing, extra }: MembershipDifference): { field: string; remote: unknown; wanted: unknown } {
  const shown = (ids: string[]) =>
    ids.length > SHOWN_MEMBERS ? [...ids.slice(0, SHOWN_MEMBERS), `… ${ids.length - SHOWN_MEMBERS} more`] : ids;
  return {
    field: 'members',
    remote: { extra: shown(extra), count: extra.length },
    wanted: { missing: shown(missing), count: missing.length },
  };
}
