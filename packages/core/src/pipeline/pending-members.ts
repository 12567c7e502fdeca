import type { GroupMemberRef, GroupSummary } from '../store/records.js';

/**
 * A membership delta handed to the store and not durable yet (IdentityService.changeGroupMembers): the group as it
 * leaves it, and the members it changed. The next delta of the group builds on it at once instead of waiting for
 * its commit, so concurrent member adds to one group share a group commit.
 */
export interface PendingMembers {
  /** The group as this delta leaves it (its version and moment). */
  readonly summary: GroupSummary;
  /** This delta's own changes by lower-case value: the member it put in, or null for one it took out. */
  readonly changes: ReadonlyMap<string, GroupMemberRef | null>;
  /** The delta this one was built on, while that one is not settled. */
  previous: PendingMembers | undefined;
  /** Its commit settled (durable, or failed: what the store holds decides again). */
  settled: boolean;
}

export function pendingMembers(
  summary: GroupSummary,
  added: readonly GroupMemberRef[],
  removed: readonly string[],
  previous: PendingMembers | undefined,
): PendingMembers {
  const changes = new Map<string, GroupMemberRef | null>();
  for (const value of removed) changes.set(value.toLowerCase(), null);
  for (const member of added) changes.set(member.value.toLowerCase(), member);
  return { summary, changes, previous: previous?.settled ? undefined : previous, settled: false };
}

/** Marks `pending` settled and lets go of what it was built on: from now on the store holds what it changed, or not. */
export function settle(pending: PendingMembers): void {
  pending.settled = true;
  pending.previous = undefined;
}

/**
 * The members among `values` as the store holds them (`stored`, Store.findGroupMembers) with the unsettled deltas
 * from `pending` back applied over them, newest first. Applying a delta the store already holds changes nothing,
 * so it does not matter whether a commit has been applied before its promise settles.
 */
export function membersOver(stored: readonly GroupMemberRef[], values: readonly string[], pending: PendingMembers): GroupMemberRef[] {
  const decided = new Map<string, GroupMemberRef | null>();
  for (const value of values) {
    const lower = value.toLowerCase();
    if (decided.has(lower)) continue;
    for (let delta: PendingMembers | undefined = pending; delta && !delta.settled; delta = delta.previous) {
      const change = delta.changes.get(lower);
      if (change !== undefined) {
        decided.set(lower, change);
        break;
      }
    }
  }
  const members = stored.filter((member) => !decided.has(member.value.toLowerCase()));
  for (const change of decided.values()) if (change) members.push(change);
  return members;
}
