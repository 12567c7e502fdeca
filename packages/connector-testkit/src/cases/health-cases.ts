import assert from 'node:assert/strict';
import type { HealthReport, OutboundConnector } from '@provisio/core';
import { findSecretLeak } from '../secret-leaks.js';
import { describeError } from '../rejection.js';
import { hook, type ConformanceCase } from './case-context.js';

async function checkNeverThrows(connector: OutboundConnector): Promise<HealthReport> {
  try {
    return await connector.check();
  } catch (error) {
    assert.fail(`check() must never throw, it threw ${describeError(error)}`);
  }
}

function assertReport(report: HealthReport, ok: boolean, secrets: readonly string[]): void {
  assert.equal(report.ok, ok, `check() must report ok: ${ok}; message: ${report.message}`);
  assert.ok(typeof report.message === 'string' && report.message.trim() !== '', 'check() must explain itself in message');
  const leak = findSecretLeak(report, secrets);
  assert.equal(leak, undefined, `check()'s report contains secret #${leak}`);
}

export const healthCases: ConformanceCase[] = [
  {
    id: 'check-ok',
    title: 'check() reports ok against a healthy target',
    skipReason: () => undefined,
    async run({ connector, fixture }) {
      assertReport(await checkNeverThrows(connector), true, fixture.secrets);
    },
  },
  {
    id: 'check-unreachable',
    title: 'check() reports ok: false (and does not throw) when the target is unreachable',
    skipReason: (o) => (o.faults?.makeUnreachable ? undefined : 'no faults.makeUnreachable hook'),
    async run({ connector, fixture, options }) {
      await hook(options.faults?.makeUnreachable, 'faults.makeUnreachable')(fixture);
      assertReport(await checkNeverThrows(connector), false, fixture.secrets);
    },
  },
];
