import type { z } from 'zod';
import { AuditEntry, AuditPage, MinuteBucket, OpenApiDocument, Session, Throughput } from './schemas/activity-schemas.js';
import { ErrorBody } from './schemas/common.js';
import {
  Capabilities,
  ConnectorDetail,
  ConnectorList,
  ConnectorSummary,
  GuardReport,
  GuardResolution,
  HealthReport,
  HeldJob,
  Preview,
  ProvisionResult,
  ProvisionStep,
  Quarantine,
  QuarantineRelease,
  ImportProgressLine,
  ReconcileProgressLine,
  ReconcileResult,
  RemoteRequest,
  TargetReport,
  TargetReportItem,
  TargetReportList,
} from './schemas/connector-schemas.js';
import { GroupDetail, GroupList, GroupSummary, Link, LinkList, UserDetail, UserList, UserSummary } from './schemas/identity-schemas.js';
import { Job, JobAttempt, JobCounts, JobList, RetriedCount } from './schemas/job-schemas.js';
import { TenantList, TenantSummary } from './schemas/tenant-schemas.js';

/**
 * The response shapes by their OpenAPI name (#/components/schemas/<name>).
 * Every response body of ADMIN_ROUTES must be one of these, so the document
 * refers to each by name and nested ones are written once.
 */
export const COMPONENT_SCHEMAS: Record<string, z.ZodType> = {
  Error: ErrorBody,
  Session,
  TenantSummary,
  TenantList,
  JobCounts,
  JobAttempt,
  Job,
  JobList,
  RetriedCount,
  Link,
  LinkList,
  UserSummary,
  UserDetail,
  UserList,
  GroupSummary,
  GroupDetail,
  GroupList,
  Capabilities,
  Quarantine,
  QuarantineRelease,
  ConnectorSummary,
  ConnectorList,
  ConnectorDetail,
  HealthReport,
  HeldJob,
  GuardReport,
  GuardResolution,
  ReconcileResult,
  ReconcileProgressLine,
  RemoteRequest,
  TargetReportItem,
  TargetReport,
  TargetReportList,
  ImportProgressLine,
  Preview,
  ProvisionStep,
  ProvisionResult,
  MinuteBucket,
  Throughput,
  AuditEntry,
  AuditPage,
  OpenApiDocument,
};
