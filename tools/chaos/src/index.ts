// Public API of @provisio/chaos: the harness of issue 22 ("exactly once, in order, under chaos").
export { runChaos, type ChaosRunOptions, type ChaosRunResult } from './run-chaos.js';
export { findingCounts, formatTable, REPORT_HEADERS, type ReportRow } from './report.js';
export { checkTarget, explain, isClean, noFindings, type TargetFindings } from './checker.js';
export { AcknowledgedHistory, type AcknowledgedUser, type AcknowledgedWrite, type ExpectedState, type WriteOp } from './history.js';
export { driveLoad, RequestRefused, type LoadOptions, type LoadPlan } from './load-driver.js';
export { startKiller, startFaultInjector, type Killer, type KillerOptions } from './killer.js';
export { Cluster, type ClusterLayout } from './cluster.js';
export { startServer, DEFAULT_CLI, type ServerProcess, type ServerRole, type ServerSpec } from './server-process.js';
export { startChaosTargets, type ChaosTargetOptions, type ChaosTargets, type RemoteAccount, type TargetView } from './targets.js';
export { AdminClient, waitForDrain, type JobCounts, type JobView } from './admin-client.js';
export { seededRandom, type Random } from './random.js';
