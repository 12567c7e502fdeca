// @provisio/core/engine: what composes and runs a Provisio server: the pipeline (identity service,
// planner, executor, worker), the store ports and records, the manifest, DI composition, import,
// retention, safety rails and notifications. Connector packages never import it (lint): they get
// what they need through the plugin API, '@provisio/core'.
export { ImportBusyError, ImportService, IMPORT_KINDS } from './import/import-service.js';
export type { ImportKind, ImportOptions, ImportProgress } from './import/import-service.js';
export { TargetReconciler, RECONCILE_KINDS } from './reconcile/target-reconciler.js';
export type { ReconcileKind, ReconcileOptions, TargetReconcilerDeps } from './reconcile/target-reconciler.js';
export { ReconcileScheduler, reconcileScheduleKey } from './reconcile/reconcile-scheduler.js';
export type { ReconcileSchedulerDeps, ReconcileSchedulerOptions } from './reconcile/reconcile-scheduler.js';
export { CallDeadline } from './connector/remote-call.js';
export type { RemoteCallOrigin } from './connector/remote-call.js';
export { ConnectorTypeRegistry } from './connector/connector-type-registry.js';
export type { ConnectorTypeSummary } from './connector/connector-type-registry.js';
export { ConnectorInstances } from './connector/connector-instances.js';
export type { ConnectorInstance } from './connector/connector-instances.js';
export { observeConnector } from './connector/observed-connector.js';
export type { ConnectorCall, ConnectorObserver } from './connector/observed-connector.js';
export { buildContainer, coreContainerModule, pluginContainerModule } from './di/container-builder.js';
export type { ContainerBuildOptions } from './di/container-builder.js';
export { provisioningModule } from './di/provisioning-module.js';
export type { ProvisioningModuleOptions } from './di/provisioning-module.js';
export { ExpressionFunctions } from './extension/expression-function.js';
export * from './manifest/manifest-schema.js';
export { formatPath, formatProblem } from './manifest/manifest-problems.js';
export type { ManifestProblem } from './manifest/manifest-problems.js';
export { resolveSecretReferences } from './manifest/secret-references.js';
export type { SecretSources, ResolvedReferences } from './manifest/secret-references.js';
export { validateManifest, manifestSecretPaths, manifestSecretValues } from './manifest/manifest-validation.js';
export type { ConnectorTypeLookup, ManifestValidation } from './manifest/manifest-validation.js';
export { manifestJsonSchema } from './manifest/manifest-json-schema.js';
export { tenantManifests } from './manifest/tenant-manifests.js';
export { RateGates, rateBucketKey } from './pipeline/rate-gate.js';
export type { TenantManifest } from './manifest/tenant-manifests.js';
export { runInRequestContext, currentRequestId } from './logging/request-context.js';
export type { RequestContext } from './logging/request-context.js';
export type * from './store/records.js';
export {
  StoreConflictError,
  isStoreConflictError,
  StoreUnavailableError,
  isStoreUnavailableError,
  StaleClaimError,
  isStaleClaimError,
  EMPTY_COUNTS,
} from './store/store-ports.js';
export { DEFAULT_TENANT, TENANT_DOMAIN } from './model/tenant.js';
export type {
  Store,
  IdentityWrite,
  PendingPassword,
  ClaimOptions,
  JobFilter,
  JobSucceeded,
  JobRetry,
  JobFailed,
  JobAbandoned,
  StatusCounts,
  PrunableJobStatus,
  JobPruneFilter,
  AuditPruneFilter,
  PrunableSummary,
  StoreConflictKind,
  IdentityQuery,
  QueryPage,
  SharedRateLimits,
  RateLimitSettings,
  CommitReceipt,
  GuardDecision,
} from './store/store-ports.js';
export { emailIndexEntries, lowerText } from './store/index-entries.js';
export type { EmailIndexEntry } from './store/index-entries.js';
export { getAttribute } from './scim-filter/attribute-lookup.js';
export {
  queryInMemory,
  sortValue,
  compareSortValues,
  pageBounds,
  filterMentions,
  userFilterDocument,
  groupFilterDocument,
  SCIM_DATE_TIME,
} from './store/query-semantics.js';
export { hashPassword, verifyPassword, PasswordSealer } from './security/passwords.js';
export { IdentityService } from './pipeline/identity-service.js';
export type {
  WriteOptions,
  WriteResult,
  BlockingFailure,
  UserInput,
  IdentityServiceDeps,
  GroupMembersDelta,
} from './pipeline/identity-service.js';
export { IdentityError } from './pipeline/identity-errors.js';
export type { IdentityErrorKind } from './pipeline/identity-errors.js';
export { userView, groupView, groupSummaryView } from './pipeline/identity-views.js';
export { JobEvents } from './pipeline/job-events.js';
export type { JobFinishedEvent, JobOutcome, RateLimitWaitEvent } from './pipeline/job-events.js';
export type { GuardTriggeredEvent, GuardResolvedEvent } from './pipeline/safety-events.js';
export { DeprovisionGuards } from './pipeline/deprovision-guards.js';
export type { GuardReport } from './pipeline/deprovision-guards.js';
export { decideHeld, guardAllowance, guardedByInstance, guardLimitOf, DEFAULT_GUARD_WINDOW_MS } from './pipeline/deprovision-guard.js';
export { JobExecutor, changedAttributes } from './pipeline/job-executor.js';
export type { ExecutionResult } from './pipeline/job-executor.js';
export { planUserJobs, planGroupJobs } from './pipeline/job-planner.js';
export { ProvisioningTarget, checkTargetExpressions } from './pipeline/provisioning-target.js';
export { Worker } from './pipeline/worker.js';
export type { WorkerOptions, WorkerDeps } from './pipeline/worker.js';
export { retryDelayMs } from './pipeline/retry-policy.js';
export { RateLimiter } from './pipeline/rate-limiter.js';
export { ProvisioningRuntime } from './pipeline/provisioning-runtime.js';
export { RetentionPruner, RETENTION_KINDS } from './pipeline/retention-pruner.js';
export type { RetentionKind, RetentionReport, RetentionPrunerOptions, RetentionDeps } from './pipeline/retention-pruner.js';
export { parseDuration } from './manifest/duration.js';
export type { RuntimeOptions } from './pipeline/provisioning-runtime.js';
export { QuarantineMonitor } from './pipeline/quarantine-monitor.js';
export type { QuarantineGate, QuarantineMonitorDeps } from './pipeline/quarantine-monitor.js';
export { targetFailureOf } from './pipeline/target-failure.js';
export type { TargetFailure } from './pipeline/target-failure.js';
export type { QuarantineRecord, QuarantineStates } from './store/quarantine-states.js';
export type { ScheduledRuns } from './store/scheduled-runs.js';
export { NotificationDispatcher } from './notifications/notification-dispatcher.js';
export type { NotificationDispatcherOptions, DispatcherCounts } from './notifications/notification-dispatcher.js';
export { OPERATOR_EVENT_KINDS, IGNORE_OPERATOR_EVENTS } from './notifications/operator-events.js';
export type {
  OperatorEvent,
  OperatorEventKind,
  OperatorEventDetails,
  FailedJobSummary,
  PublishOperatorEvent,
} from './notifications/operator-events.js';
export { QUARANTINE_DEFAULTS } from './manifest/quarantine-schema.js';
export type { QuarantineSettings } from './manifest/quarantine-schema.js';
export type { NotificationsConfig, WebhookConfig, SmtpConfig } from './manifest/notifications-schema.js';
export * from './scim-filter/index.js';
export * from './provisioning-pattern/index.js';
export { applyHeapPolicy } from './process/heap-policy.js';
export type { HeapPolicy } from './process/heap-policy.js';
