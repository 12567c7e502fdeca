import assert from 'node:assert/strict';
import type { Store } from './store-ports.js';

/** The store contract of scheduled runs: a due run is taken by one caller; a shortened period is due at once. */
export function storeScheduleContractCases(test: (name: string, body: (store: Store) => Promise<void>) => void): void {
  test('schedules: a run never taken is due; once taken it is not due again until its next time', async (store) => {
    assert.equal(await store.schedules.nextAt('reconcile:crm'), undefined);
    assert.equal(await store.schedules.take('reconcile:crm', 1_000, 61_000), true);
    assert.equal(await store.schedules.nextAt('reconcile:crm'), 61_000);
    assert.equal(await store.schedules.take('reconcile:crm', 1_000, 61_000), false, 'a second taker gets nothing');
    assert.equal(await store.schedules.take('reconcile:crm', 60_999, 120_999), false, 'not due yet');
    assert.equal(await store.schedules.take('reconcile:crm', 61_000, 121_000), true);
    assert.equal(await store.schedules.nextAt('reconcile:crm'), 121_000);
    assert.equal(await store.schedules.nextAt('reconcile:other'), undefined, 'keys are separate');
  });

  test('schedules: of concurrent takers of a due run exactly one wins', async (store) => {
    await store.schedules.take('reconcile:crm', 0, 10_000);
    const taken = await Promise.all(Array.from({ length: 8 }, () => store.schedules.take('reconcile:crm', 10_000, 20_000)));
    assert.equal(taken.filter(Boolean).length, 1);
  });

  test('schedules: a run due later than a new, shorter period allows is due at once', async (store) => {
    await store.schedules.take('reconcile:crm', 0, 86_400_000);
    assert.equal(await store.schedules.take('reconcile:crm', 1_000, 3_601_000), true);
    assert.equal(await store.schedules.nextAt('reconcile:crm'), 3_601_000);
  });
}
