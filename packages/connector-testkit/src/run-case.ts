import assert from 'node:assert/strict';
import type { GroupPayload } from '@provisio/core';
import type { ConformanceCaseId } from './cases/case-context.js';
import { conformanceCase } from './conformance-cases.js';
import type { ConformanceFixture, ConformanceOptions } from './conformance-options.js';
import { recordingConnector } from './recording-connector.js';
import { describeError } from './rejection.js';
import { findSecretLeak } from './secret-leaks.js';

let sequence = 0;
const runTag = Date.now().toString(36);

function defaultGroup(n: number, displayName: string): GroupPayload {
  return { localId: `conformance-group-${n}`, group: { displayName }, attributes: { displayName } };
}

/**
 * Runs one case on its own fixture: setup, the case, close and teardown (always), then
 * checks every error the connector threw for secrets. Rejects when the connector fails
 * the case; usable outside `describeConnectorConformance` (the kit's own tests do).
 */
export async function runConformanceCase<F extends ConformanceFixture>(
  options: ConformanceOptions<F>,
  id: ConformanceCaseId,
): Promise<void> {
  const testCase = conformanceCase(id);
  const skip = testCase.skipReason(options as ConformanceOptions<never>);
  if (skip !== undefined) throw new Error(`conformance case "${id}" cannot run: ${skip}`);
  const fixture = await options.setup();
  const secrets = [...fixture.secrets];
  const thrown: unknown[] = [];
  const connector = recordingConnector(fixture.connector, thrown);
  try {
    await testCase.run({
      fixture,
      connector,
      options,
      nextUser: () => options.sampleUser(++sequence),
      nextGroup: () => {
        const n = ++sequence;
        return (options.sampleGroup ?? defaultGroup)(n, `Conformance ${runTag} ${n}`);
      },
      addSecret: (secret) => secrets.push(secret),
    });
  } finally {
    try {
      await fixture.connector.close();
    } finally {
      await fixture.teardown?.();
    }
  }
  for (const error of thrown) {
    const leak = findSecretLeak(error, secrets);
    assert.equal(
      leak,
      undefined,
      `a thrown error contains secret #${leak} (of fixture.secrets): ${leak === undefined ? '' : describeError(error).replaceAll(secrets[leak], '***')}`,
    );
  }
}
