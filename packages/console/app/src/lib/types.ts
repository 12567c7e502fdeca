// The admin API's JSON shapes the console reads (see apps/server/src/admin/admin-openapi.ts).
export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'superseded';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'succeeded', 'failed', 'superseded'];
export type JobCounts = Record<JobStatus, number>;

export interface Session {
  name: string | null;
  readOnly: boolean;
}

export interface ConnectorSummary {
  id: string;
  type: string;
  displayName: string;
  mode: 'async' | 'blocking';
  jobs: JobCounts;
}

export interface HealthReport {
  connector: string;
  ok: boolean;
  message: string;
  tookMs: number;
}

export type MappingRule = string | { from?: string; default?: unknown; transform?: string };

export interface ConnectorDetail {
  id: string;
  type: string;
  displayName: string;
  settings: Record<string, unknown> & { config: Record<string, unknown>; scope?: string; pattern?: Record<string, unknown> };
  defaultMapping: Record<string, MappingRule>;
  effectiveMapping: Record<string, MappingRule>;
  previewSupported: boolean;
}

export interface JobAttempt {
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  outcome?: 'succeeded' | 'retry' | 'failed';
  error?: string;
}

export interface Job {
  id: string;
  connector: string;
  entityType: 'user' | 'group';
  localId: string;
  action: 'sync' | 'delete';
  reason: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  createdAt: string;
  updatedAt: string;
  lastError: string | null;
  history: JobAttempt[];
}

export interface Link {
  connector: string;
  entityType: 'user' | 'group';
  localId: string;
  remoteId: string | null;
  remoteName: string | null;
  status: 'pending' | 'synced' | 'failed' | 'deprovisioned';
  remoteActive: boolean | null;
  lastError: string | null;
  lastSyncedAt: string | null;
}

export interface UserSummary {
  id: string;
  userName: string;
  displayName: string | null;
  email: string | null;
  active: boolean;
  updatedAt: string;
  links: Link[];
}

export interface GroupSummary {
  id: string;
  displayName: string;
  members: number;
  updatedAt: string;
  links: Link[];
}

export interface UserDetail extends UserSummary {
  resource: Record<string, unknown>;
  groups: { id: string; displayName: string }[];
  jobs: Job[];
}

export interface GroupDetail extends GroupSummary {
  memberRefs: { value: string; display?: string; type?: string }[];
  jobs: Job[];
}

export interface RemoteRequest {
  operation: string;
  method: string;
  path: string;
  body?: unknown;
}

export interface Preview {
  user: { id: string; userName: string };
  inScope: boolean;
  attributes: Record<string, unknown> | null;
  accountName: string | null;
  link: Link | null;
  operation: 'create' | 'update' | 'none' | 'out of scope';
  changed: Record<string, unknown> | null;
  requests: RemoteRequest[] | null;
  createRequests: RemoteRequest[] | null;
  error: string | null;
}

export interface ProvisionStep {
  step: string;
  status: 'ok' | 'failed' | 'skipped' | 'waiting';
  detail: string;
  data?: unknown;
}

export interface ProvisionResult {
  connector: string;
  user: { id: string; userName: string };
  outcome: 'succeeded' | 'failed' | 'retrying' | 'skipped' | 'waiting';
  steps: ProvisionStep[];
  job: Job | null;
}

export interface MinuteBucket {
  minute: string;
  succeeded: number;
  failed: number;
  retried: number;
}

export interface Throughput {
  from: string;
  to: string;
  buckets: MinuteBucket[];
  truncated: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}
