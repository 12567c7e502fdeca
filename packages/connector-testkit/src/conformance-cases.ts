import type { ConformanceFixture, ConformanceOptions } from './conformance-options.js';
import type { ConformanceCase, ConformanceCaseId } from './cases/case-context.js';
import { faultCases } from './cases/fault-cases.js';
import { groupCases } from './cases/group-cases.js';
import { healthCases } from './cases/health-cases.js';
import { readCases } from './cases/read-cases.js';
import { userCases } from './cases/user-cases.js';

/** Every case of the suite, in the order they are reported. */
export const conformanceCases: readonly ConformanceCase[] = [...userCases, ...groupCases, ...faultCases, ...healthCases, ...readCases];

export interface PlannedCase {
  id: ConformanceCaseId;
  title: string;
  /** Set when the case is reported as skipped, saying which hook or capability would unlock it. */
  skipReason?: string;
}

/** Which cases run with these options and why the others are skipped. */
export function conformancePlan<F extends ConformanceFixture>(options: ConformanceOptions<F>): PlannedCase[] {
  return conformanceCases.map((c) => {
    const skipReason = c.skipReason(options as ConformanceOptions<never>);
    return skipReason === undefined ? { id: c.id, title: c.title } : { id: c.id, title: c.title, skipReason };
  });
}

export function conformanceCase(id: ConformanceCaseId): ConformanceCase {
  const found = conformanceCases.find((c) => c.id === id);
  if (!found) throw new Error(`no conformance case "${id}"`);
  return found;
}
