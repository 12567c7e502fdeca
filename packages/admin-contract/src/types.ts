import type { z } from 'zod';
import type * as activity from './schemas/activity-schemas.js';
import type * as connectors from './schemas/connector-schemas.js';
import type * as identities from './schemas/identity-schemas.js';
import type * as jobs from './schemas/job-schemas.js';

// The JSON the admin API answers with, as TypeScript: what the server must
// produce and what the console reads.
export type JobStatus = z.output<typeof jobs.JobStatus>;
export type JobCounts = z.output<typeof jobs.JobCounts>;
export type JobAttempt = z.output<typeof jobs.JobAttempt>;
export type Job = z.output<typeof jobs.Job>;
export type JobList = z.output<typeof jobs.JobList>;
export type RetriedCount = z.output<typeof jobs.RetriedCount>;
export type Link = z.output<typeof identities.Link>;
export type UserSummary = z.output<typeof identities.UserSummary>;
export type UserDetail = z.output<typeof identities.UserDetail>;
export type GroupSummary = z.output<typeof identities.GroupSummary>;
export type GroupDetail = z.output<typeof identities.GroupDetail>;
export type UserList = z.output<typeof identities.UserList>;
export type GroupList = z.output<typeof identities.GroupList>;
export type ConnectorSummary = z.output<typeof connectors.ConnectorSummary>;
export type ConnectorDetail = z.output<typeof connectors.ConnectorDetail>;
export type MappingRule = z.output<typeof connectors.MappingRule>;
export type HealthReport = z.output<typeof connectors.HealthReport>;
export type ReconcileResult = z.output<typeof connectors.ReconcileResult>;
export type TargetReport = z.output<typeof connectors.TargetReport>;
export type TargetReportList = z.output<typeof connectors.TargetReportList>;
export type ImportProgressLine = z.output<typeof connectors.ImportProgressLine>;
export type RemoteRequest = z.output<typeof connectors.RemoteRequest>;
export type Preview = z.output<typeof connectors.Preview>;
export type ProvisionStep = z.output<typeof connectors.ProvisionStep>;
export type ProvisionResult = z.output<typeof connectors.ProvisionResult>;
export type Session = z.output<typeof activity.Session>;
export type MinuteBucket = z.output<typeof activity.MinuteBucket>;
export type Throughput = z.output<typeof activity.Throughput>;
export type AuditEntry = z.output<typeof activity.AuditEntry>;
export type AuditPage = z.output<typeof activity.AuditPage>;
