// The admin API's JSON shapes the console reads: inferred from @provisio/admin-contract,
// type-only so no zod reaches the browser bundle (vite drops `import type`).
import type { JobStatus } from '@provisio/admin-contract';

export type {
  AuditEntry,
  ConnectorDetail,
  ConnectorSummary,
  GroupDetail,
  GroupSummary,
  GuardReport,
  GuardResolution,
  HealthReport,
  Job,
  JobAttempt,
  JobCounts,
  JobStatus,
  Link,
  MappingRule,
  MinuteBucket,
  Preview,
  ProvisionResult,
  QuarantineRelease,
  ProvisionStep,
  RemoteRequest,
  Session,
  TargetReport,
  TenantList,
  TenantSummary,
  Throughput,
  UserDetail,
  UserSummary,
} from '@provisio/admin-contract';

/** Every job status, in the console's display order. The check below fails to compile when the contract gains or loses one. */
export const JOB_STATUSES = [
  'pending',
  'running',
  'held',
  'succeeded',
  'failed',
  'superseded',
  'discarded',
] as const satisfies readonly JobStatus[];
type Missing = Exclude<JobStatus, (typeof JOB_STATUSES)[number]>;
const everyStatusListed: [Missing] extends [never] ? true : Missing = true;
void everyStatusListed;
