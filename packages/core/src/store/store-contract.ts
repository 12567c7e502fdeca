import assert from 'node:assert/strict';
import type { ClaimedJob, GroupRecord, LinkRecord, NewJob, TargetReportRecord, UserRecord } from './records.js';
import { isStoreConflictError, type Store } from './store-ports.js';
import { storeQueryContractCases } from './store-query-contract.js';
import { storeRetentionContractCases } from './store-retention-contract.js';
import { storeGuardContractCases } from './store-guard-contract.js';
import { storeTakeoverContractCases } from './store-takeover-contract.js';
import { storeQuarantineContractCases } from './store-quarantine-contract.js';
import { storeScheduleContractCases } from './store-schedule-contract.js';
import { storeTenantContractCases } from './store-tenant-contract.js';
import { storeMembersContractCases } from './store-members-contract.js';

/**
 * The behaviour every Store must have, as framework-agnostic cases: a store
 * package runs them with its test runner, e.g.
 *   for (const c of storeContractCases(() => openMyStore())) it(c.name, c.run);
 */
export interface StoreContractCase {
  name: string;
  run(): Promise<void>;
}

/**
 * The time base of a case: a second before the case starts, on the real clock. A store
 * shared by several processes (PostgreSQL) schedules on its database's clock, so due
 * times must be real; the `now` arguments stay the caller's view (leases, timestamps).
 */
let T0 = Date.now() - 1000;

const sleepUntil = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

export function contractUser(id: string, userName: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const at = new Date(T0).toISOString();
  return { id, userName, active: true, resource: { userName, active: true }, version: 1, createdAt: at, updatedAt: at, ...overrides };
}

export function contractGroup(
  id: string,
  displayName: string,
  memberIds: string[] = [],
  overrides: Partial<GroupRecord> = {},
): GroupRecord {
  const at = new Date(T0).toISOString();
  const members = memberIds.map((value) => ({ value, type: 'User' as const }));
  return { id, displayName, resource: { displayName }, members, version: 1, createdAt: at, updatedAt: at, ...overrides };
}

export function contractJob(localId: string, overrides: Partial<NewJob> = {}): NewJob {
  return { instanceId: 'target', entityType: 'user', localId, action: 'sync', reason: 'created', maxAttempts: 5, runAt: T0, ...overrides };
}

async function withStore(open: () => Promise<Store>, body: (store: Store) => Promise<void>): Promise<void> {
  T0 = Date.now() - 1000;
  const store = await open();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

async function rejectsWithConflict(promise: Promise<unknown>, kind: 'version' | 'uniqueness'): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isStoreConflictError(error), `expected a StoreConflictError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    return true;
  });
}

/** The claim an outcome is recorded for. */
const claimOf = (job: ClaimedJob) => ({ jobId: job.id, claimToken: job.claimToken });

/** ada's (u1) link on `target`: synced to the remote object r1. */
const adaLink = (overrides: Partial<LinkRecord> = {}): LinkRecord => ({
  instanceId: 'target',
  entityType: 'user',
  localId: 'u1',
  remoteId: 'r1',
  status: 'synced',
  ...overrides,
});

/** ada (u1) committed with a job of `target`, and the job claimed. */
async function claimedJobOfAda(store: Store): Promise<ClaimedJob> {
  await store.commit({ putUsers: [contractUser('u1', 'ada')], jobs: [contractJob('u1')] });
  const [job] = await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 1 } });
  return job;
}

export function storeContractCases(open: () => Promise<Store>): StoreContractCase[] {
  const cases: StoreContractCase[] = [];
  const test = (name: string, body: (store: Store) => Promise<void>) => cases.push({ name, run: () => withStore(open, body) });
  storeQueryContractCases(test);
  storeTakeoverContractCases(test, () => T0, contractJob);
  storeRetentionContractCases(test, () => T0, contractJob);
  storeGuardContractCases(test, contractJob);
  storeQuarantineContractCases(test);
  storeScheduleContractCases(test);
  storeTenantContractCases(test, { user: contractUser, group: contractGroup, job: contractJob, t0: () => T0 });
  storeMembersContractCases(test, contractGroup);

  test('stores and reads users, by id and case-insensitively by userName', async (store) => {
    await store.commit({ putUsers: [contractUser('u1', 'Ada@Example.com', { externalId: 'e1' })], expectedUserVersions: { u1: 0 } });
    assert.equal((await store.getUser('u1'))?.userName, 'Ada@Example.com');
    assert.equal((await store.getUserByUserName('ada@example.COM'))?.id, 'u1');
    assert.equal(await store.getUser('nope'), undefined);
  });

  test('rejects a second user with the same userName in another case', async (store) => {
    await store.commit({ putUsers: [contractUser('u1', 'ada')] });
    await rejectsWithConflict(store.commit({ putUsers: [contractUser('u2', 'ADA')] }), 'uniqueness');
    assert.equal(await store.getUser('u2'), undefined);
  });

  test('rejects a second group with the same displayName', async (store) => {
    await store.commit({ putGroups: [contractGroup('g1', 'Sales')] });
    await rejectsWithConflict(store.commit({ putGroups: [contractGroup('g2', 'Sales')] }), 'uniqueness');
  });

  test('checks expected versions and writes nothing of a rejected commit', async (store) => {
    await store.commit({ putUsers: [contractUser('u1', 'ada')], expectedUserVersions: { u1: 0 } });
    await rejectsWithConflict(
      store.commit({
        putUsers: [contractUser('u1', 'ada', { version: 2, active: false })],
        expectedUserVersions: { u1: 5 },
        jobs: [contractJob('u1')],
      }),
      'version',
    );
    await rejectsWithConflict(store.commit({ putUsers: [contractUser('u1', 'ada')], expectedUserVersions: { u1: 0 } }), 'version');
    assert.equal((await store.getUser('u1'))?.active, true);
    assert.deepEqual(await store.listJobs({}), []);
    await store.commit({ putUsers: [contractUser('u1', 'ada', { version: 2 })], expectedUserVersions: { u1: 1 } });
    assert.equal((await store.getUser('u1'))?.version, 2);
  });

  test('commits identity, jobs and audit atomically', async (store) => {
    await store.commit({
      putUsers: [contractUser('u1', 'ada')],
      jobs: [contractJob('u1'), contractJob('u1', { instanceId: 'other' })],
      audit: [{ at: new Date(T0).toISOString(), actor: 'scim:entra', action: 'user.create', entityType: 'user', entityId: 'u1' }],
    });
    assert.equal((await store.listJobs({})).length, 2);
    const audit = await store.listAudit({ entityId: 'u1' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, 'scim:entra');
    // A uniqueness failure leaves no jobs and no audit behind.
    await rejectsWithConflict(
      store.commit({
        putUsers: [contractUser('u2', 'ADA')],
        jobs: [contractJob('u2')],
        audit: [{ at: '', actor: 'x', action: 'user.create', entityType: 'user', entityId: 'u2' }],
      }),
      'uniqueness',
    );
    assert.equal((await store.listJobs({ localId: 'u2' })).length, 0);
    assert.equal((await store.listAudit({ entityId: 'u2' })).length, 0);
  });

  test('keeps the request id a job was planned by, through claim and outcome', async (store) => {
    await store.commit({ jobs: [contractJob('u1', { requestId: 'req-abc-123' }), contractJob('u2')] });
    const claimed = await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 2 } });
    assert.deepEqual(claimed.map((j) => [j.localId, j.requestId]).sort(), [
      ['u1', 'req-abc-123'],
      ['u2', undefined],
    ]);
    const first = claimed.find((j) => j.localId === 'u1');
    assert.ok(first);
    await store.completeJob({ jobId: first.id, claimToken: first.claimToken, now: T0 + 1 });
    assert.equal((await store.getJob(first.id))?.requestId, 'req-abc-123');
  });

  test('takes the readiness write probe, and takes writes after it', async (store) => {
    await store.probeWrite();
    await store.probeWrite();
    await store.commit({ putUsers: [contractUser('u1', 'ada')] });
    assert.equal((await store.getUser('u1'))?.userName, 'ada');
    if (store.storageBytes) assert.ok((await store.storageBytes()) > 0);
  });

  test('supersedes a pending job of the same instance and identity by a newer one', async (store) => {
    await store.commit({ jobs: [contractJob('u1', { reason: 'created' })] });
    await store.commit({ jobs: [contractJob('u1', { reason: 'updated' }), contractJob('u2')] });
    const jobs = await store.listJobs({ localId: 'u1' });
    assert.deepEqual(jobs.map((j) => [j.reason, j.status]).sort(), [
      ['created', 'superseded'],
      ['updated', 'pending'],
    ]);
  });

  test('claims due jobs oldest first, within each instance’s slots, one per identity', async (store) => {
    await store.commit({
      jobs: [
        contractJob('u1'),
        contractJob('u2'),
        contractJob('u3'),
        contractJob('u4', { runAt: T0 + 60000 }),
        contractJob('u5', { instanceId: 'slow' }),
      ],
    });
    const first = await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 2 } });
    assert.deepEqual(
      first.map((j) => j.localId),
      ['u1', 'u2'],
    );
    assert.ok(first.every((j) => j.status === 'running' && j.attempts === 1 && j.claimedBy === 'w1'));
    const second = await store.claimJobs({ workerId: 'w2', now: T0, leaseMs: 30000, slots: { target: 5, slow: 1 } });
    assert.deepEqual(second.map((j) => j.localId).sort(), ['u3', 'u5']);
    assert.deepEqual(await store.claimJobs({ workerId: 'w2', now: T0, leaseMs: 30000, slots: { target: 5 } }), []);
    assert.equal(await store.nextDueJobAt(), T0 + 60000);
  });

  test('keeps a new job for an identity waiting while an older one runs', async (store) => {
    await store.commit({ jobs: [contractJob('u1', { reason: 'created' })] });
    const [running] = await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 4 } });
    await store.commit({ jobs: [contractJob('u1', { reason: 'updated' })] });
    assert.deepEqual(await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 4 } }), []);
    await store.completeJob({ jobId: running.id, claimToken: running.claimToken, now: T0 + 10 });
    const [next] = await store.claimJobs({ workerId: 'w1', now: T0 + 20, leaseMs: 30000, slots: { target: 4 } });
    assert.equal(next.reason, 'updated');
  });

  test('completes a job with its link, its follow-up jobs and what it did, in one step', async (store) => {
    const job = await claimedJobOfAda(store);
    await store.completeJob({
      ...claimOf(job),
      now: T0 + 5,
      summary: 'created',
      link: adaLink({
        remoteName: 'ada',
        lastSyncedAt: new Date(T0 + 5).toISOString(),
        syncedAttributes: { email: 'a@x' },
        remoteActive: true,
      }),
      followUps: [contractJob('g1', { entityType: 'group', reason: 'membership' })],
    });
    assert.equal((await store.getJob(job.id))?.status, 'succeeded');
    assert.deepEqual((await store.getLink('target', 'user', 'u1'))?.syncedAttributes, { email: 'a@x' });
    assert.equal((await store.linksOf('user', 'u1'))[0].remoteId, 'r1');
    assert.deepEqual(
      (await store.linksFor('target', 'user', ['u1', 'u9'])).map((l) => l.remoteId),
      ['r1'],
    );
    assert.equal((await store.listJobs({ localId: 'g1' }))[0].reason, 'membership');
    assert.deepEqual(
      (await store.getJob(job.id))?.history.map(({ outcome, summary }) => ({ outcome, summary })),
      [{ outcome: 'succeeded', summary: 'created' }],
    );
  });

  test('reschedules a transient failure and fails a permanent one, keeping attempts and errors', async (store) => {
    await store.commit({ jobs: [contractJob('u1'), contractJob('u2')] });
    const [a, b] = await store.claimJobs({ workerId: 'w1', now: T0, leaseMs: 30000, slots: { target: 2 } });
    // Due in 1.5 s of real time: a shared store's queue runs on the database clock.
    const runAt = Date.now() + 1500;
    await store.retryJobLater({
      jobId: a.id,
      claimToken: a.claimToken,
      now: T0 + 1,
      runAt,
      error: '503 Service Unavailable',
      errorKind: 'transient',
    });
    await store.failJob({
      jobId: b.id,
      claimToken: b.claimToken,
      now: T0 + 1,
      error: 'REQUIRED_FIELD_MISSING: LastName',
      errorKind: 'permanent',
      link: { instanceId: 'target', entityType: 'user', localId: 'u2', status: 'failed', lastError: 'REQUIRED_FIELD_MISSING: LastName' },
    });
    const retried = await store.getJob(a.id);
    assert.equal(retried?.status, 'pending');
    assert.equal(retried?.runAt, runAt);
    assert.equal(retried?.lastError, '503 Service Unavailable');
    assert.equal(retried?.history[0].outcome, 'retry');
    const failed = await store.listJobs({ status: 'failed' });
    assert.deepEqual(
      failed.map((j) => [j.localId, j.lastError, j.lastErrorKind]),
      [['u2', 'REQUIRED_FIELD_MISSING: LastName', 'permanent']],
    );
    assert.equal((await store.getLink('target', 'user', 'u2'))?.status, 'failed');
    assert.deepEqual(await store.claimJobs({ workerId: 'w1', now: Date.now(), leaseMs: 30000, slots: { target: 2 } }), []);
    await sleepUntil(runAt + 50);
    const [again] = await store.claimJobs({ workerId: 'w1', now: Date.now(), leaseMs: 30000, slots: { target: 2 } });
    assert.equal(again.attempts, 2);
    const counts = await store.jobCounts('target');
    assert.equal(counts.running, 1);
    assert.equal(counts.failed, 1);
  });

  test('retries failed jobs by hand with a fresh attempt budget', async (store) => {
    await store.commit({ jobs: [contractJob('u1'), contractJob('u2', { instanceId: 'other' })] });
    for (const job of await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { target: 1, other: 1 } })) {
      await store.failJob({ jobId: job.id, claimToken: job.claimToken, now: T0, error: 'nope', errorKind: 'permanent' });
    }
    const retried = await store.retryFailedJobs({ instanceId: 'target' }, T0 + 10);
    assert.deepEqual(
      retried.map((j) => j.localId),
      ['u1'],
    );
    const job = await store.getJob(retried[0].id);
    assert.equal(job?.status, 'pending');
    assert.equal(job?.attempts, 0);
    assert.equal((await store.listJobs({ status: 'failed' })).length, 1);
  });

  test('returns jobs of a dead worker to pending when their lease expires, and of a stopping one at once', async (store) => {
    await store.commit({ jobs: [contractJob('u1'), contractJob('u2')] });
    await store.claimJobs({ workerId: 'dead', now: T0, leaseMs: 1000, slots: { target: 1 } });
    await store.claimJobs({ workerId: 'stopping', now: T0, leaseMs: 60000, slots: { target: 1 } });
    assert.equal(await store.releaseExpiredJobs(T0 + 500), 0);
    assert.equal(await store.releaseExpiredJobs(T0 + 1001), 1);
    assert.equal(await store.releaseJobsOf('stopping'), 1);
    const again = await store.claimJobs({ workerId: 'w', now: T0 + 2000, leaseMs: 1000, slots: { target: 5 } });
    // A takeover is not an attempt: both start their first counted attempt again.
    assert.deepEqual(again.map((j) => [j.localId, j.attempts, j.takeovers]).sort(), [
      ['u1', 1, 1],
      ['u2', 1, 1],
    ]);
  });

  test('extends the leases of a live worker, so only a dead worker’s jobs are released', async (store) => {
    await store.commit({ jobs: [contractJob('u1'), contractJob('u2')] });
    await store.claimJobs({ workerId: 'alive', now: T0, leaseMs: 1000, slots: { target: 1 } });
    await store.claimJobs({ workerId: 'dead', now: T0, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(await store.extendLeases('alive', T0 + 10_000), 1);
    assert.equal(await store.releaseExpiredJobs(T0 + 5000), 1);
    assert.deepEqual(
      (await store.listJobs({ status: 'running' })).map((j) => [j.localId, j.claimedBy]),
      [['u1', 'alive']],
    );
  });

  test('recovers jobs abandoned by a dead process at start', async (store) => {
    await store.commit({ jobs: [contractJob('u1')] });
    await store.claimJobs({ workerId: 'dead', now: T0, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(await store.recoverAbandonedJobs(T0 + 2000), 1);
    const [job] = await store.claimJobs({ workerId: 'w', now: T0 + 2000, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(job.attempts, 1);
    assert.equal(job.outcomeUnknown, true);
  });

  test('deletes identities and keeps their links for deprovisioning', async (store) => {
    const job = await claimedJobOfAda(store);
    await store.completeJob({
      ...claimOf(job),
      now: T0,
      link: adaLink(),
    });
    await store.commit({ deleteUsers: ['u1'], jobs: [contractJob('u1', { action: 'delete', reason: 'deleted' })] });
    assert.equal(await store.getUser('u1'), undefined);
    assert.equal(await store.getUserByUserName('ada'), undefined);
    assert.equal((await store.getLink('target', 'user', 'u1'))?.remoteId, 'r1');
    // The userName is free again.
    await store.commit({ putUsers: [contractUser('u2', 'ada')] });
  });

  test('finds the groups of a member and lists ids in pages', async (store) => {
    await store.commit({ putUsers: [contractUser('u1', 'a'), contractUser('u2', 'b'), contractUser('u3', 'c')] });
    await store.commit({ putGroups: [contractGroup('g1', 'Sales', ['u1', 'u2']), contractGroup('g2', 'Ops', ['u2'])] });
    assert.deepEqual((await store.groupsOfMember('u2')).map((g) => g.id).sort(), ['g1', 'g2']);
    assert.deepEqual(
      (await store.groupsOfMember('u3')).map((g) => g.id),
      [],
    );
    await store.commit({ putGroups: [contractGroup('g1', 'Sales', ['u1'], { version: 2 })], expectedGroupVersions: { g1: 1 } });
    assert.deepEqual(
      (await store.groupsOfMember('u2')).map((g) => g.id),
      ['g2'],
    );
    const page1 = await store.listUserIds(undefined, 2);
    const page2 = await store.listUserIds(page1[page1.length - 1], 2);
    assert.deepEqual([...page1, ...page2], ['u1', 'u2', 'u3']);
    assert.equal(page2.length, 1);
    assert.deepEqual(await store.listGroupIds(undefined, 10), ['g1', 'g2']);
  });

  test('keeps a pending password until every awaiting target completed a job, through failures', async (store) => {
    const pending = { sealed: 'sealed-1', awaiting: ['target', 'other'], expiresAt: T0 + 60_000 };
    await store.commit({
      putUsers: [contractUser('u1', 'ada')],
      pendingPasswords: [{ userId: 'u1', ...pending }],
      jobs: [contractJob('u1'), contractJob('u1', { instanceId: 'other' })],
    });
    assert.deepEqual(await store.pendingPassword('u1'), pending);
    const jobs = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { target: 1, other: 1 } });
    const claimedFor = (instanceId: string) => {
      const job = jobs.find((j) => j.instanceId === instanceId);
      if (!job) throw new Error(`no job of ${instanceId} was claimed`);
      return job;
    };
    const [target, other] = [claimedFor('target'), claimedFor('other')];
    await store.completeJob({ jobId: target.id, claimToken: target.claimToken, now: T0 });
    assert.deepEqual(await store.pendingPassword('u1'), { ...pending, awaiting: ['other'] });
    // A permanent failure keeps it: a retry of that job (or a later one) still sends it.
    await store.failJob({ jobId: other.id, claimToken: other.claimToken, now: T0, error: 'x', errorKind: 'permanent' });
    assert.deepEqual(await store.pendingPassword('u1'), { ...pending, awaiting: ['other'] });
    await store.retryFailedJobs({ jobId: other.id }, T0);
    const [retried] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { other: 1 } });
    await store.completeJob({ jobId: retried.id, claimToken: retried.claimToken, now: T0 });
    assert.equal(await store.pendingPassword('u1'), undefined);
  });

  test('a target still awaits a newer password while a newer job of it is pending', async (store) => {
    await store.commit({
      putUsers: [contractUser('u1', 'ada')],
      pendingPasswords: [{ userId: 'u1', sealed: 'sealed-1', awaiting: ['target'], expiresAt: T0 + 60_000 }],
      jobs: [contractJob('u1')],
    });
    const [running] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { target: 1 } });
    // The user sets a new password while the first job runs: a new job is planned with it.
    const newer = { sealed: 'sealed-2', awaiting: ['target'], expiresAt: T0 + 120_000 };
    await store.commit({ pendingPasswords: [{ userId: 'u1', ...newer }], jobs: [contractJob('u1')] });
    await store.completeJob({ jobId: running.id, claimToken: running.claimToken, now: T0 });
    assert.deepEqual(await store.pendingPassword('u1'), newer);
    await store.commit({ dropPendingPasswords: ['u1'] });
    assert.equal(await store.pendingPassword('u1'), undefined);
  });

  test('pages jobs newest first and filters by status, instance and identity', async (store) => {
    await store.commit({ jobs: [contractJob('u1'), contractJob('u2', { instanceId: 'other' }), contractJob('u3')] });
    const all = await store.listJobs({});
    assert.deepEqual(
      all.map((j) => j.localId),
      ['u3', 'u2', 'u1'],
    );
    assert.deepEqual(
      (await store.listJobs({ instanceId: 'target' })).map((j) => j.localId),
      ['u3', 'u1'],
    );
    const firstPage = await store.listJobs({ limit: 2 });
    assert.deepEqual(
      (await store.listJobs({ before: firstPage[1].id })).map((j) => j.localId),
      ['u1'],
    );
  });

  test('writes links with a commit (an import links what the target already holds)', async (store) => {
    await store.commit({ putUsers: [contractUser('u1', 'ada'), contractUser('u2', 'bob')] });
    await store.commit({
      putLinks: [
        adaLink({ remoteName: 'ada', syncedAttributes: { a: 1 } }),
        { instanceId: 'target', entityType: 'user', localId: 'u2', remoteId: 'r2', status: 'synced' },
      ],
      audit: [{ at: new Date(T0).toISOString(), actor: 'test', action: 'connector.import', entityType: 'connector', entityId: 'target' }],
    });
    const links = await store.linksFor('target', 'user', ['u1', 'u2']);
    assert.deepEqual(links.map((l) => l.remoteId).sort(), ['r1', 'r2']);
    assert.deepEqual((await store.getLink('target', 'user', 'u1'))?.syncedAttributes, { a: 1 });
    // Replaced, not doubled.
    await store.commit({ putLinks: [adaLink({ remoteId: 'r9' })] });
    assert.equal((await store.linksOf('user', 'u1')).length, 1);
    assert.equal((await store.getLink('target', 'user', 'u1'))?.remoteId, 'r9');
  });

  test('keeps target reports, replaces one by id and lists them newest first per instance and kind', async (store) => {
    const report = (id: string, startedAt: string, overrides: Partial<TargetReportRecord> = {}): TargetReportRecord => ({
      id,
      instanceId: 'target',
      kind: 'import',
      status: 'running',
      apply: false,
      actor: 'test',
      startedAt,
      read: 0,
      counts: {},
      samples: {},
      ...overrides,
    });
    await store.saveTargetReport(report('a', '2026-01-01T00:00:00.000Z'));
    await store.saveTargetReport(report('b', '2026-01-02T00:00:00.000Z'));
    await store.saveTargetReport(report('c', '2026-01-03T00:00:00.000Z', { instanceId: 'other' }));
    await store.saveTargetReport(report('d', '2026-01-04T00:00:00.000Z', { kind: 'reconcile' }));
    await store.saveTargetReport(
      report('a', '2026-01-01T00:00:00.000Z', {
        status: 'done',
        read: 3,
        counts: { linked: 2 },
        samples: { orphans: [{ remoteId: 'r3' }] },
      }),
    );
    assert.deepEqual(await store.getTargetReport('a'), {
      ...report('a', '2026-01-01T00:00:00.000Z'),
      status: 'done',
      read: 3,
      counts: { linked: 2 },
      samples: { orphans: [{ remoteId: 'r3' }] },
    });
    assert.equal(await store.getTargetReport('zz'), undefined);
    assert.deepEqual(
      (await store.listTargetReports({ instanceId: 'target' })).map((r) => r.id),
      ['d', 'b', 'a'],
    );
    assert.deepEqual(
      (await store.listTargetReports({ instanceId: 'target', kind: 'import', limit: 1 })).map((r) => r.id),
      ['b'],
    );
  });

  return cases;
}
