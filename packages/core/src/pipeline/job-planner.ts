import type { ScimGroup, ScimUser } from '../model/identity.js';
import type { NewJob } from '../store/records.js';
import { deactivates } from './deprovision-guard.js';
import type { ProvisioningTarget } from './provisioning-target.js';

/**
 * Which jobs a change causes: for each target, compare whether the identity was
 * in scope before and is after. In scope now → `sync` (create or update);
 * in scope before but not now (deleted, deactivated out of a scope, left a
 * group) → `delete`, i.e. deprovision.
 */
export function planUserJobs(
  targets: readonly ProvisioningTarget[],
  localId: string,
  before: ScimUser | undefined,
  after: ScimUser | undefined,
  reason: string,
): NewJob[] {
  const jobs: NewJob[] = [];
  for (const target of targets) {
    const wasIn = before !== undefined && target.userInScope(before);
    const isIn = after !== undefined && target.userInScope(after);
    const base = { ...jobBase(target, 'user', localId), ...lastKnownUser(after ?? before) };
    if (isIn) {
      // Deactivating deprovisions (the guard counts it); an update of a user who stays inactive carries that state.
      const guard = after?.active === false ? target.guardFor(deactivates(before, after)) : undefined;
      const why =
        wasIn || before === undefined ? (deactivates(before, after) ? `${reason}: active set to false` : reason) : 'entered scope';
      jobs.push({ ...base, action: 'sync', reason: why, ...(guard ? { guard } : {}) });
    } else if (wasIn) {
      const guard = target.deleteGuard;
      jobs.push({ ...base, action: 'delete', reason: after === undefined ? reason : leftScopeReason(target), ...(guard ? { guard } : {}) });
    }
  }
  return jobs;
}

/** What every job planned for `target` carries besides its action, reason and last-known identity. */
function jobBase(target: ProvisioningTarget, entityType: NewJob['entityType'], localId: string) {
  return { instanceId: target.id, entityType, localId, maxAttempts: target.instance.settings.retry.maxAttempts };
}

/** Why a user left a target's scope, naming the scope so the operator sees which change did it. */
export function leftScopeReason(target: ProvisioningTarget, via?: string): string {
  const scope = target.instance.settings.scope;
  return `left scope${scope ? ` ${JSON.stringify(scope)}` : ''}${via ? ` (${via})` : ''}`;
}

export function planGroupJobs(
  targets: readonly ProvisioningTarget[],
  localId: string,
  before: ScimGroup | undefined,
  after: ScimGroup | undefined,
  reason: string,
): NewJob[] {
  const jobs: NewJob[] = [];
  for (const target of targets) {
    const wasIn = before !== undefined && target.groupInScope(before);
    const isIn = after !== undefined && target.groupInScope(after);
    const base = { ...jobBase(target, 'group', localId), ...lastKnownGroup(after ?? before) };
    if (isIn) jobs.push({ ...base, action: 'sync', reason: wasIn || before === undefined ? reason : 'entered scope' });
    else if (wasIn) jobs.push({ ...base, action: 'delete', reason: after === undefined ? reason : 'left scope' });
  }
  return jobs;
}

/**
 * What a job keeps of its identity to look the account up after an unknown outcome,
 * even once the identity is gone: the resource without derived or bulky parts (a
 * user's groups, a group's members).
 */
export function lastKnownUser(user: ScimUser | undefined): Pick<NewJob, 'lastKnown'> {
  if (!user) return {};
  const { groups: _groups, ...rest } = user;
  return { lastKnown: rest };
}

function lastKnownGroup(group: ScimGroup | undefined): Pick<NewJob, 'lastKnown'> {
  if (!group) return {};
  const { members: _members, ...rest } = group;
  return { lastKnown: rest as ScimGroup };
}
