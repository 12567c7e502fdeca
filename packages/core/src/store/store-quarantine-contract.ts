import assert from 'node:assert/strict';
import type { QuarantineRecord } from './quarantine-states.js';
import type { Store } from './store-ports.js';

/** The store contract of quarantine states: one entry per instance, one probe taker, one leaver. */
export function storeQuarantineContractCases(test: (name: string, body: (store: Store) => Promise<void>) => void): void {
  const record = (instanceId: string, overrides: Partial<QuarantineRecord> = {}): QuarantineRecord => ({
    instanceId,
    since: 1_000,
    reason: 'authentication refused: invalid_grant',
    nextProbeAt: 61_000,
    probeCount: 0,
    ...overrides,
  });

  test('quarantine: entering twice keeps the first entry, and list/get read it back', async (store) => {
    assert.equal(await store.quarantines.enter(record('google')), true);
    assert.equal(await store.quarantines.enter(record('google', { reason: 'later', since: 5_000 })), false);
    await store.quarantines.enter(record('scim', { reason: 'target unreachable: ECONNREFUSED' }));
    assert.deepEqual(await store.quarantines.get('google'), record('google'));
    assert.deepEqual(
      (await store.quarantines.list()).map((r) => [r.instanceId, r.reason]),
      [
        ['google', 'authentication refused: invalid_grant'],
        ['scim', 'target unreachable: ECONNREFUSED'],
      ],
    );
    assert.equal(await store.quarantines.get('salesforce'), undefined);
  });

  test('quarantine: a due probe is taken once; a failed probe counts and moves the next one', async (store) => {
    await store.quarantines.enter(record('google'));
    assert.equal(await store.quarantines.takeProbe('google', 60_999, 200_000), undefined, 'not due yet');
    const taken = await store.quarantines.takeProbe('google', 61_000, 200_000);
    assert.deepEqual(taken, record('google'));
    assert.equal(await store.quarantines.takeProbe('google', 61_000, 200_000), undefined, 'a second taker gets nothing');
    assert.equal((await store.quarantines.get('google'))?.nextProbeAt, 200_000);
    await store.quarantines.probeFailed('google', 181_000, 'check failed: invalid_grant');
    assert.deepEqual(await store.quarantines.get('google'), {
      ...record('google'),
      nextProbeAt: 181_000,
      probeCount: 1,
      lastProbeError: 'check failed: invalid_grant',
    });
    assert.equal(await store.quarantines.takeProbe('nobody', 1e12, 1e12), undefined);
  });

  test('quarantine: leave ends it once and returns what it ended', async (store) => {
    await store.quarantines.enter(record('google'));
    assert.deepEqual(await store.quarantines.leave('google'), record('google'));
    assert.equal(await store.quarantines.leave('google'), undefined);
    assert.deepEqual(await store.quarantines.list(), []);
    assert.equal(await store.quarantines.enter(record('google', { since: 9_000 })), true, 'can be quarantined again');
  });
}
