import { describe, it } from '@jest/globals';
import { conformancePlan } from './conformance-cases.js';
import type { ConformanceFixture, ConformanceOptions } from './conformance-options.js';
import { runConformanceCase } from './run-case.js';

/**
 * Declares the conformance suite as Jest tests: one `it` per case, each on a fresh
 * fixture from `options.setup()`. Cases whose hook or capability is missing are
 * reported as skipped, with the reason in their title.
 */
export function describeConnectorConformance<F extends ConformanceFixture>(options: ConformanceOptions<F>): void {
  describe(`connector conformance: ${options.name}`, () => {
    for (const planned of conformancePlan(options)) {
      if (planned.skipReason !== undefined) {
        it.skip(`${planned.title} [skipped: ${planned.skipReason}]`, () => undefined);
      } else {
        it(planned.title, () => runConformanceCase(options, planned.id), options.timeoutMs ?? 30_000);
      }
    }
  });
}
