import { z } from 'zod';
import { Job, JOB_ACTIONS, JobCounts } from './job-schemas.js';
import { Link } from './identity-schemas.js';

export const Capabilities = z.object({
  users: z.literal(true),
  groups: z.boolean(),
  batch: z.object({ maxOperations: z.int().positive(), eachOperationCounts: z.boolean().optional() }).optional(),
  passwords: z.boolean().optional(),
  /** The connector can read its target (listUsers/getUser; listGroups/getGroup with `groups`). */
  read: z.object({ groups: z.boolean() }).optional(),
});

/** An instance in quarantine: its jobs wait while a probe checks the target at a growing interval. */
export const Quarantine = z.object({
  since: z.iso.datetime(),
  reason: z.string().meta({ description: 'why, e.g. "authentication refused: 20 of 21 calls in 600 s failed; last: ..."' }),
  nextProbeAt: z.iso.datetime(),
  probeCount: z.int().nonnegative().meta({ description: 'probes run so far (all failed)' }),
  lastProbeError: z.string().optional(),
});

export const QuarantineRelease = z.object({
  connector: z.string(),
  released: z.boolean().meta({ description: 'false: the instance was not quarantined' }),
  quarantine: Quarantine.optional().meta({ description: 'the quarantine that was ended' }),
});

export const ConnectorSummary = z.object({
  id: z.string(),
  type: z.string(),
  displayName: z.string(),
  mode: z.enum(['async', 'blocking']),
  capabilities: Capabilities,
  jobs: JobCounts,
  guardTripped: z.boolean().meta({ description: 'the accidental-deletion guard tripped: deprovisioning jobs are held (jobs.held)' }),
  quarantine: Quarantine.optional().meta({ description: 'present while the instance is quarantined' }),
});
export const ConnectorList = z.object({ connectors: z.array(ConnectorSummary) });

/** A remote field's source: a local attribute path, or { from, default, transform (one name or a chain) }. */
export const MappingRule = z.union([
  z.string(),
  z.object({
    from: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    transform: z.union([z.string(), z.array(z.string())]).optional(),
  }),
]);

export const ConnectorDetail = z.object({
  id: z.string(),
  type: z.string(),
  displayName: z.string(),
  settings: z
    .looseObject({
      config: z.record(z.string(), z.unknown()),
      scope: z.string().optional(),
      pattern: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ description: "the instance's settings from the manifest; secrets in config masked" }),
  defaultMapping: z.record(z.string(), MappingRule),
  effectiveMapping: z
    .record(z.string(), MappingRule)
    .meta({ description: "what the pipeline applies: the manifest's mapping, else the type's default" }),
  capabilities: Capabilities,
  previewSupported: z.boolean(),
});

export const HealthReport = z.object({
  connector: z.string(),
  ok: z.boolean(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  tookMs: z.number().nonnegative(),
});

export const RemoteRequest = z.object({ operation: z.string(), method: z.string(), path: z.string(), body: z.unknown().optional() });

export const Preview = z.object({
  user: z.object({ id: z.string(), userName: z.string() }),
  inScope: z.boolean(),
  attributes: z.record(z.string(), z.unknown()).nullable().meta({ description: 'remote fields after mapping, defaults and transforms' }),
  accountName: z.string().nullable().meta({ description: 'the provisioning pattern applied' }),
  link: Link.nullable(),
  operation: z.enum(['create', 'update', 'none', 'out of scope']),
  changed: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ description: 'on update: the fields whose value changed since the last sync (null clears)' }),
  requests: z
    .array(RemoteRequest)
    .nullable()
    .meta({ description: 'the requests the connector would send (null: its type offers no preview); secrets masked' }),
  createRequests: z.array(RemoteRequest).nullable().meta({ description: 'when the account exists: what creating it would send' }),
  error: z.string().nullable(),
});

export const ProvisionStep = z.object({
  step: z.string(),
  status: z.enum(['ok', 'failed', 'skipped', 'waiting']),
  detail: z.string(),
  data: z.unknown().optional(),
});
export const ProvisionResult = z.object({
  connector: z.string(),
  user: z.object({ id: z.string(), userName: z.string() }),
  outcome: z.enum(['succeeded', 'failed', 'retrying', 'skipped', 'waiting']),
  steps: z.array(ProvisionStep),
  job: Job.nullable(),
});

/** A held job as the operator sees it: who would be removed and why. */
export const HeldJob = z.object({
  jobId: z.string(),
  entityType: z.enum(['user', 'group']),
  localId: z.string(),
  userName: z.string().nullable().meta({ description: 'the identity as it was when the job was planned' }),
  action: z.enum(JOB_ACTIONS),
  reason: z.string().meta({ description: 'which change planned it: deleted, active set to false, left scope "<filter>" (reconcile)...' }),
  createdAt: z.string(),
});

export const GuardReport = z.object({
  connector: z.string(),
  enabled: z.boolean().meta({ description: 'false: deprovisionGuard: false in the manifest (held jobs from before still wait)' }),
  threshold: z.object({
    maxCount: z.int().positive().nullable(),
    maxPercent: z.number().positive().nullable().meta({ description: 'share of the linked accounts' }),
    windowMs: z.int().positive(),
  }),
  tripped: z.boolean(),
  trippedAt: z.string().nullable(),
  countingSince: z.string().nullable().meta({ description: 'the last release or discard: the window counts from here at the earliest' }),
  held: z.int().nonnegative(),
  sample: z.array(HeldJob).meta({ description: 'up to 20 held jobs, newest first' }),
});

export const GuardResolution = z.object({
  connector: z.string(),
  decision: z.enum(['release', 'discard']),
  jobs: z.int().nonnegative().meta({ description: 'held jobs released (now pending) or discarded' }),
});

export const TargetReportItem = z.object({
  remoteId: z.string().optional(),
  remoteIds: z.array(z.string()).optional(),
  remoteName: z.string().optional(),
  localIds: z.array(z.string()).optional(),
  note: z.string().optional(),
  differences: z
    .array(z.object({ field: z.string(), remote: z.unknown().optional(), wanted: z.unknown().optional() }))
    .optional()
    .meta({ description: "reconcile's drift: each mapped field whose remote value is not what the mapping wants" }),
});

/** A run that read a target: an import now; reconcile adds its own kinds to counts and samples. */
export const TargetReport = z.object({
  id: z.string(),
  instanceId: z.string(),
  kind: z.enum(['import', 'reconcile']),
  status: z.enum(['running', 'done', 'failed', 'aborted']).meta({
    description: 'running: under way, or its process stopped (run it again: links already written count as alreadyLinked)',
  }),
  apply: z.boolean().meta({ description: 'false: a dry run, nothing was written' }),
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  read: z.int().nonnegative().meta({ description: 'remote accounts read' }),
  counts: z.record(z.string(), z.int().nonnegative()).meta({
    description:
      'import: linked, alreadyLinked, ambiguous, orphans (remote accounts matching no local identity), unmatchedLocal; reconcile: drift, missing, orphans, unlinked, skipped, inSync',
  }),
  samples: z.record(z.string(), z.array(TargetReportItem)).meta({ description: 'the first items of each kind' }),
  error: z.string().optional(),
});

export const TargetReportList = z.object({ reports: z.array(TargetReport) });

export const ReconcileResult = z.object({
  scanned: z.int().nonnegative().meta({ description: 'local identities compared with their links' }),
  planned: z.int().nonnegative().meta({ description: 'jobs that pass planned' }),
  report: TargetReport.optional().meta({ description: 'what the target holds, compared: for a connector that can read its target' }),
});
/** One line of the NDJSON stream: progress (local identities scanned, then remote accounts read), then the result. */
export const ReconcileProgressLine = z.union([
  z.object({ scanned: z.int().nonnegative() }),
  z.object({ read: z.int().nonnegative() }),
  ReconcileResult.extend({ done: z.literal(true) }),
]);

/** One line of the import's NDJSON stream: progress while it reads and links, then the report. */
export const ImportProgressLine = z.union([
  z.object({
    phase: z.enum(['read', 'link']),
    read: z.int().nonnegative(),
    totalHint: z.int().nonnegative().optional(),
    written: z.int().nonnegative(),
    perSecond: z.number().nonnegative(),
    etaSeconds: z.number().nonnegative().optional(),
  }),
  z.object({ done: z.literal(true), report: TargetReport }),
]);
