import assert from 'node:assert/strict';
import type { GroupRecord, NewJob, TargetReportRecord, UserRecord } from './records.js';
import { DEFAULT_TENANT, isStoreConflictError, type Store } from './store-ports.js';

interface Fixtures {
  user(id: string, userName: string): UserRecord;
  group(id: string, displayName: string, memberIds?: string[]): GroupRecord;
  job(localId: string, overrides?: Partial<NewJob>): NewJob;
  t0(): number;
}

const ACME = 'acme.example.com';
const GLOBEX = 'globex.example.com';
const HOUR = 3_600_000;

const audit = (entityId: string, action = 'user.create') => ({
  at: new Date().toISOString(),
  actor: 'scim:test',
  action,
  entityType: 'user' as const,
  entityId,
});

/**
 * Tenants as every store keeps them (Store.forTenant): two views of one store share nothing but the
 * connection. The cases use the same instance id (`target`) and the same names in both tenants, since
 * that is where a store that forgets the tenant in one query shows it.
 */
export function storeTenantContractCases(test: (name: string, body: (store: Store) => Promise<void>) => void, f: Fixtures): void {
  test('tenants: a store is bound to the default tenant; forTenant binds a view to another', async (store) => {
    assert.equal(store.tenant, DEFAULT_TENANT);
    assert.equal(store.forTenant(ACME).tenant, ACME);
    assert.equal(store.forTenant(ACME).forTenant(GLOBEX).tenant, GLOBEX);
    assert.equal(store.forTenant(DEFAULT_TENANT).tenant, DEFAULT_TENANT);
  });

  test('tenants: the same userName and displayName in two tenants are two identities, unique within each', async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    await acme.commit({ putUsers: [f.user('a1', 'kim@example.com')], putGroups: [f.group('ag', 'Sales', ['a1'])] });
    await globex.commit({ putUsers: [f.user('g1', 'KIM@example.com')], putGroups: [f.group('gg', 'Sales', ['g1'])] });
    assert.equal((await acme.getUserByUserName('kim@example.com'))?.id, 'a1');
    assert.equal((await globex.getUserByUserName('kim@example.com'))?.id, 'g1');
    assert.equal(await store.getUserByUserName('kim@example.com'), undefined, 'the default tenant has no kim');
    await assert.rejects(acme.commit({ putUsers: [f.user('a2', 'Kim@Example.com')] }), (e: unknown) => isStoreConflictError(e));
    await assert.rejects(globex.commit({ putGroups: [f.group('gg2', 'Sales')] }), (e: unknown) => isStoreConflictError(e));
  });

  test("tenants: another tenant's ids are not found, listed, queried or grouped", async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    await acme.commit({ putUsers: [f.user('a1', 'ada')], putGroups: [f.group('ag', 'Admins', ['a1'])] });
    await globex.commit({ putUsers: [f.user('g1', 'grace')] });
    assert.equal(await globex.getUser('a1'), undefined);
    assert.equal(await globex.getGroup('ag'), undefined);
    assert.deepEqual(await globex.groupsOfMember('a1'), []);
    assert.deepEqual(await globex.listUserIds(undefined, 10), ['g1']);
    assert.deepEqual(await globex.listGroupIds(undefined, 10), []);
    assert.deepEqual(await acme.listUserIds(undefined, 10), ['a1']);
    const everyone = await globex.queryUsers({});
    assert.deepEqual(
      everyone.records.map((u) => u.id),
      ['g1'],
    );
    assert.equal(everyone.totalResults, 1);
    assert.equal((await globex.queryGroups({})).totalResults, 0);
    assert.equal((await acme.queryGroups({})).records[0]?.id, 'ag');
  });

  test("tenants: a write naming another tenant's identity does not reach it", async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    await acme.commit({ putUsers: [f.user('a1', 'ada')] });
    // A delete or an expected version of an id this tenant does not hold changes nothing of the other's.
    await globex.commit({ deleteUsers: ['a1'] }).catch(() => undefined);
    await assert.rejects(globex.commit({ putUsers: [f.user('a1', 'ada2')], expectedUserVersions: { a1: 1 } }));
    // Ids are unique across tenants: a put of an id another tenant holds is refused, never an overwrite.
    await assert.rejects(globex.commit({ putUsers: [f.user('a1', 'ada3')] }), (e: unknown) => isStoreConflictError(e));
    await acme.commit({ putGroups: [f.group('ag', 'Admins')] });
    await assert.rejects(globex.commit({ putGroups: [f.group('ag', 'Admins')] }), (e: unknown) => isStoreConflictError(e));
    assert.equal((await acme.getUser('a1'))?.userName, 'ada');
    assert.equal(await globex.getUser('a1'), undefined);
    assert.equal((await acme.getGroup('ag'))?.displayName, 'Admins');
  });

  test('tenants: links, pending passwords and audit are per tenant', async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    const link = { instanceId: 'target', entityType: 'user' as const, localId: 'a1', remoteId: 'r1', status: 'synced' as const };
    await acme.commit({
      putUsers: [f.user('a1', 'ada')],
      putLinks: [link],
      pendingPasswords: [{ userId: 'a1', sealed: 'sealed-secret', awaiting: ['target'], expiresAt: f.t0() + HOUR }],
      audit: [audit('a1')],
    });
    assert.equal((await acme.getLink('target', 'user', 'a1'))?.remoteId, 'r1');
    assert.equal(await globex.getLink('target', 'user', 'a1'), undefined);
    assert.deepEqual(await globex.linksOf('user', 'a1'), []);
    assert.deepEqual(await globex.linksFor('target', 'user', ['a1']), []);
    assert.equal(await globex.pendingPassword('a1'), undefined);
    assert.equal((await acme.pendingPassword('a1'))?.sealed, 'sealed-secret');
    assert.equal((await acme.listAudit({})).length, 1);
    assert.deepEqual(await globex.listAudit({}), []);
    assert.deepEqual(await globex.listAudit({ entityId: 'a1' }), []);
  });

  test("tenants: a worker of one tenant claims, counts, lists and retries only that tenant's jobs", async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    await acme.commit({ putUsers: [f.user('a1', 'ada')], jobs: [f.job('a1')] });
    await globex.commit({ putUsers: [f.user('g1', 'grace')], jobs: [f.job('g1'), f.job('g1', { instanceId: 'other' })] });
    const now = f.t0() + 1000;
    assert.equal(await store.nextDueJobAt(), undefined, 'the default tenant has nothing due');
    assert.equal(await acme.nextDueJobAt(), f.t0());
    const claimed = await globex.claimJobs({ workerId: 'wg', now, leaseMs: 30_000, slots: { target: 10, other: 10 } });
    assert.deepEqual(claimed.map((j) => j.localId).sort(), ['g1', 'g1']);
    assert.equal((await acme.jobCounts('target')).pending, 1);
    assert.equal((await acme.jobCounts()).running, 0);
    assert.equal((await globex.jobCounts()).running, 2);
    assert.deepEqual(
      (await acme.listJobs({})).map((j) => j.localId),
      ['a1'],
    );
    assert.equal(await acme.getJob(claimed[0].id), undefined);
    // Outcomes and maintenance of one tenant leave the other's jobs as they are.
    await globex.failJob({ jobId: claimed[0].id, claimToken: claimed[0].claimToken, now, error: 'refused', errorKind: 'permanent' });
    assert.deepEqual(await acme.retryFailedJobs({ instanceId: 'target' }, now), []);
    assert.equal(await acme.releaseJobsOf('wg'), 0);
    assert.equal(await acme.extendLeases('wg', now + 60_000), 0);
    assert.equal(await acme.releaseExpiredJobs(now + 10 * HOUR, 0), 0);
    assert.equal((await globex.jobCounts()).running, 1);
    const [acmeJob] = await acme.claimJobs({ workerId: 'wa', now, leaseMs: 30_000, slots: { target: 10 } });
    assert.equal(acmeJob.localId, 'a1');
    assert.equal((await globex.retryFailedJobs({ instanceId: 'target' }, now)).length, 1);
  });

  test('tenants: guards, quarantines and schedules of the same instance id are per tenant', async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    const guarded = (localId: string) =>
      f.job(localId, { action: 'delete', reason: 'deleted', guard: { maxCount: 1, windowMs: HOUR, counts: true } });
    const receipt = await acme.commit({ jobs: [guarded('a1'), guarded('a2')] });
    assert.deepEqual(receipt.trippedGuards, ['target']);
    assert.equal((await acme.deprovisionGuard('target')).tripped, true);
    assert.equal((await globex.deprovisionGuard('target')).tripped, false);
    assert.deepEqual((await globex.commit({ jobs: [guarded('g1')] })).trippedGuards, []);
    assert.equal((await globex.jobCounts('target')).held, 0);
    assert.equal(
      await globex.resolveHeldJobs('target', 'discard', Date.now(), { ...audit('target', 'guard.discard'), entityType: 'connector' }),
      0,
    );
    assert.equal((await acme.jobCounts('target')).held, 1);

    await acme.quarantines.enter({ instanceId: 'target', reason: 'auth refused', since: f.t0(), nextProbeAt: f.t0(), probeCount: 0 });
    assert.equal((await acme.quarantines.list()).length, 1);
    assert.deepEqual(await globex.quarantines.list(), []);

    assert.equal(await acme.schedules.take('reconcile:target', 1_000, 61_000), true);
    assert.equal(await globex.schedules.nextAt('reconcile:target'), undefined);
    assert.equal(await globex.schedules.take('reconcile:target', 1_000, 61_000), true);
  });

  test('tenants: target reports are per tenant', async (store) => {
    const report = (id: string): TargetReportRecord => ({
      id,
      instanceId: 'target',
      kind: 'import',
      status: 'done',
      apply: false,
      actor: 'admin:test',
      startedAt: new Date(f.t0()).toISOString(),
      read: 0,
      counts: {},
      samples: {},
    });
    await store.forTenant(ACME).saveTargetReport(report('rep-a'));
    assert.equal((await store.forTenant(ACME).getTargetReport('rep-a'))?.id, 'rep-a');
    assert.equal(await store.forTenant(GLOBEX).getTargetReport('rep-a'), undefined);
    assert.deepEqual(await store.forTenant(GLOBEX).listTargetReports({ instanceId: 'target' }), []);
  });

  test("tenants: pruning one tenant's old jobs and audit leaves the other's", async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    for (const view of [acme, globex]) {
      await view.commit({ putUsers: [f.user(`${view.tenant}-u`, 'ada')], jobs: [f.job(`${view.tenant}-u`)], audit: [audit('x')] });
      const [job] = await view.claimJobs({ workerId: 'w', now: f.t0() + 1000, leaseMs: 30_000, slots: { target: 1 } });
      await view.completeJob({ jobId: job.id, claimToken: job.claimToken, now: f.t0() + 1000 });
    }
    const later = Date.now() + 10 * HOUR;
    assert.equal((await acme.countPrunableJobs({ status: 'succeeded', finishedBefore: later })).count, 1);
    assert.equal(await acme.pruneJobs({ status: 'succeeded', finishedBefore: later, limit: 100 }), 1);
    assert.equal(await acme.pruneAudit({ before: later, limit: 100 }), 1);
    assert.equal((await globex.listJobs({})).length, 1);
    assert.equal((await globex.listAudit({})).length, 1);
  });

  test('tenants: tenantsWithData lists who holds rows; purgeTenant removes one tenant and nothing else', async (store) => {
    const acme = store.forTenant(ACME);
    const globex = store.forTenant(GLOBEX);
    await store.commit({ putUsers: [f.user('d1', 'root')] });
    await acme.commit({
      putUsers: [f.user('a1', 'ada'), f.user('a2', 'alan')],
      putGroups: [f.group('ag', 'Admins', ['a1'])],
      jobs: [f.job('a1')],
      putLinks: [{ instanceId: 'target', entityType: 'user', localId: 'a1', remoteId: 'r1', status: 'synced' }],
      audit: [audit('a1')],
    });
    await globex.commit({ putUsers: [f.user('g1', 'ada')], jobs: [f.job('g1')], audit: [audit('g1')] });
    assert.deepEqual(await store.tenantsWithData(), [ACME, DEFAULT_TENANT, GLOBEX].sort());
    assert.equal(await acme.purgeTenant(), 3);
    assert.deepEqual(await store.tenantsWithData(), [DEFAULT_TENANT, GLOBEX].sort());
    assert.equal(await acme.getUser('a1'), undefined);
    assert.deepEqual(await acme.listJobs({}), []);
    assert.deepEqual(await acme.listAudit({}), []);
    assert.equal(await acme.getLink('target', 'user', 'a1'), undefined);
    // The name is free again in that tenant; the others kept everything.
    await acme.commit({ putUsers: [f.user('a3', 'ada')] });
    assert.equal((await globex.getUserByUserName('ada'))?.id, 'g1');
    assert.equal((await globex.listJobs({})).length, 1);
    assert.equal((await store.getUser('d1'))?.userName, 'root');
  });

  test('tenants: closing a view leaves the store open', async (store) => {
    await store.forTenant(ACME).close();
    await store.commit({ putUsers: [f.user('d1', 'root')] });
    assert.equal((await store.getUser('d1'))?.userName, 'root');
  });
}
