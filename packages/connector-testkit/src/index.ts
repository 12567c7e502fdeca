// Public API of @provisio/connector-testkit: the conformance suite every connector runs against its target.
export { describeConnectorConformance } from './describe-conformance.js';
export { runConformanceCase } from './run-case.js';
export { conformanceCases, conformancePlan } from './conformance-cases.js';
export type { PlannedCase } from './conformance-cases.js';
export type { ConformanceCase, ConformanceCaseId, CaseContext } from './cases/case-context.js';
export type {
  ConformanceCapabilities,
  ConformanceFaults,
  ConformanceFixture,
  ConformanceInspect,
  ConformanceOptions,
  ConformanceRead,
  InspectedGroup,
  InspectedUser,
} from './conformance-options.js';
export { findSecretLeak } from './secret-leaks.js';
export { collectPages } from './collect-pages.js';
