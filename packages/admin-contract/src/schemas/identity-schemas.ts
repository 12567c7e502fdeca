import { z } from 'zod';
import { EntityType, Instant } from './common.js';
import { Job } from './job-schemas.js';

// 'skipped': deprovisioning skipped on purpose (deprovision.mode: skip); the remote account is left alone.
export const LINK_STATUSES = ['pending', 'synced', 'failed', 'deprovisioned', 'skipped'] as const;

/** Local identity ↔ remote account, per connector instance. */
export const Link = z.object({
  connector: z.string(),
  entityType: EntityType,
  localId: z.string(),
  remoteId: z.string().nullable(),
  remoteName: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  remoteActive: z.boolean().nullable(),
  lastError: z.string().nullable(),
  lastSyncedAt: Instant.nullable(),
});
export const LinkList = z.array(Link);

export const UserSummary = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  name: z
    .string()
    .nullable()
    .meta({ description: 'the name to show: displayName, else name.formatted, else name.givenName and name.familyName' }),
  email: z.string().nullable().meta({ description: 'the primary (else first) email' }),
  active: z.boolean(),
  updatedAt: Instant,
  links: z.array(Link),
});
export const UserDetail = UserSummary.extend({
  resource: z.record(z.string(), z.unknown()).meta({ description: 'the SCIM 2.0 resource as stored (no password)' }),
  groups: z.array(z.object({ id: z.string(), displayName: z.string() })),
  jobs: z.array(Job).meta({ description: 'the latest 20 jobs, newest first' }),
});

export const GroupSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  members: z.int().nonnegative().meta({ description: 'number of direct members' }),
  updatedAt: Instant,
  links: z.array(Link),
});
export const GroupDetail = GroupSummary.extend({
  memberRefs: z.array(z.object({ value: z.string(), display: z.string().optional(), type: z.enum(['User', 'Group']).optional() })),
  jobs: z.array(Job).meta({ description: 'the latest 20 jobs, newest first' }),
});

export const UserList = z.object({ totalResults: z.int().nonnegative(), users: z.array(UserSummary) });
export const GroupList = z.object({ totalResults: z.int().nonnegative(), groups: z.array(GroupSummary) });
