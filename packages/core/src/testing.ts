// @provisio/core/testing: for tests of stores and plugins: the in-memory store, the store contract
// suite and the retention-under-load scenario every store runs.
export { storeContractCases, contractUser, contractGroup, contractJob } from './store/store-contract.js';
export type { StoreContractCase } from './store/store-contract.js';
export { retentionUnderWriteLoad } from './store/retention-load-scenario.js';
export type { RetentionLoadOptions, RetentionLoadResult } from './store/retention-load-scenario.js';
export { InMemoryStore } from './store/in-memory-store.js';
export { startPipelineForTest } from './pipeline/pipeline-for-test.js';
export type { PipelineForTest, PipelineForTestOptions } from './pipeline/pipeline-for-test.js';
