import { z } from 'zod';
import { Job, JobCounts } from './job-schemas.js';
import { Link } from './identity-schemas.js';

export const Capabilities = z.object({
  users: z.literal(true),
  groups: z.boolean(),
  batch: z.object({ maxOperations: z.int().positive(), eachOperationCounts: z.boolean().optional() }).optional(),
  passwords: z.boolean().optional(),
  /** The connector can read its target (listUsers/getUser; listGroups/getGroup with `groups`). */
  read: z.object({ groups: z.boolean() }).optional(),
});

export const ConnectorSummary = z.object({
  id: z.string(),
  type: z.string(),
  displayName: z.string(),
  mode: z.enum(['async', 'blocking']),
  capabilities: Capabilities,
  jobs: JobCounts,
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

export const ReconcileResult = z.object({ scanned: z.int().nonnegative(), planned: z.int().nonnegative() });
/** One line of the NDJSON stream: progress, then the result. */
export const ReconcileProgressLine = z.union([
  z.object({ scanned: z.int().nonnegative() }),
  ReconcileResult.extend({ done: z.literal(true) }),
]);

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

export const TargetReportItem = z.object({
  remoteId: z.string().optional(),
  remoteIds: z.array(z.string()).optional(),
  remoteName: z.string().optional(),
  localIds: z.array(z.string()).optional(),
  note: z.string().optional(),
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
    description: 'import: linked, alreadyLinked, ambiguous, orphans (remote accounts matching no local identity), unmatchedLocal',
  }),
  samples: z.record(z.string(), z.array(TargetReportItem)).meta({ description: 'the first items of each kind' }),
  error: z.string().optional(),
});

export const TargetReportList = z.object({ reports: z.array(TargetReport) });

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
