import { isTransientError } from '../src/index.js';
import { permanent, pipelineFixturePerTest, transient } from './recording-connector.js';

const actor = { actor: 'test' };
const pipelineFixture = pipelineFixturePerTest();

const mapping = { userName: 'userName', email: 'emails[primary eq true].value', title: { from: 'title', default: 'Staff' } };

describe('the provisioning pipeline', () => {
  it('provisions a created user once, with mapped attributes, and records the link', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    const { resource } = await fixture.runtime.identities.createUser(
      { userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }] },
      actor,
    );
    await fixture.settle();
    const target = fixture.targets.crm;
    expect(target.count('createUser')).toBe(1);
    expect(target.calls[0].args.attributes).toEqual({ userName: 'ada', email: 'ada@example.com', title: 'Staff' });
    const link = await fixture.store.getLink('crm', 'user', resource.id as string);
    expect(link).toMatchObject({ status: 'synced', remoteId: 'r1', remoteActive: true });
    expect((await fixture.store.listJobs({}))[0]).toMatchObject({ status: 'succeeded', attempts: 1, reason: 'created' });
  });

  it('sends only the changed attributes on update, and nothing when nothing changed', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada', title: 'Engineer' }, actor);
    await fixture.settle();
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'ada', title: 'CTO' }, actor);
    await fixture.settle();
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'ada', title: 'CTO' }, actor);
    await fixture.settle();
    const updates = fixture.targets.crm.calls.filter((c) => c.op === 'updateUser');
    expect(updates).toHaveLength(1);
    expect(updates[0].args.changed).toEqual({ title: 'CTO' });
  });

  it('retries transient failures with backoff and ends with exactly one remote account', async () => {
    const fixture = await pipelineFixture([
      { id: 'crm', mapping, pattern: { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' } },
    ]);
    const { targets } = fixture;
    await fixture.runtime.stop();
    // Fail the first three creates: transient, then (the account was created but the answer lost) handled by findUser.
    const created = await fixture.runtime.identities.createUser({ userName: 'grace' }, actor);
    targets.crm.failNext('createUser', transient(), transient('429 Too Many Requests', 5));
    await fixture.runtime.start();
    await fixture.settle();
    expect(targets.crm.users.size).toBe(1);
    expect(targets.crm.count('createUser')).toBe(3);
    const [job] = await fixture.store.listJobs({ localId: created.resource.id });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(job.history.map((h) => h.outcome)).toEqual(['retry', 'retry', 'succeeded']);
    expect(job.history[0].error).toBe('503 Service Unavailable');
  });

  it('links the account an earlier attempt created when its answer was lost (no twin)', async () => {
    const fixture = await pipelineFixture([
      { id: 'crm', mapping, pattern: { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' } },
    ]);
    const target = fixture.targets.crm;
    const original = target.connector().createUser;
    let lost = false;
    // The first create reaches the target but its answer is lost.
    const connector = fixture.runtime.targets[0].instance.connector;
    connector.createUser = async (payload) => {
      const ref = await original(payload);
      if (!lost) {
        lost = true;
        throw transient('socket hang up');
      }
      return ref;
    };
    await fixture.runtime.identities.createUser({ userName: 'linus' }, actor);
    await fixture.settle();
    expect(target.users.size).toBe(1);
    expect(target.count('findUser')).toBe(1);
    const [job] = await fixture.store.listJobs({});
    expect(job.attempts).toBe(2);
  });

  it('fails a permanent error at once with the remote message, visible and retryable', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    fixture.targets.crm.failNext('createUser', permanent('REQUIRED_FIELD_MISSING: [LastName]'));
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    await fixture.settle();
    const [failed] = await fixture.store.listJobs({ status: 'failed' });
    expect(failed).toMatchObject({ attempts: 1, lastError: 'REQUIRED_FIELD_MISSING: [LastName]', lastErrorKind: 'permanent' });
    expect(await fixture.store.getLink('crm', 'user', resource.id as string)).toMatchObject({
      status: 'failed',
      lastError: 'REQUIRED_FIELD_MISSING: [LastName]',
    });
    await fixture.store.retryFailedJobs({ jobId: failed.id }, Date.now());
    fixture.runtime.events.jobsEnqueued();
    await fixture.settle();
    expect((await fixture.store.getJob(failed.id))?.status).toBe('succeeded');
    expect(fixture.targets.crm.users.size).toBe(1);
  });

  it('gives up on a transient error after maxAttempts and says so', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }]);
    fixture.targets.crm.failNext('createUser', transient(), transient('still 503'));
    await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    await fixture.settle();
    const [job] = await fixture.store.listJobs({});
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'still 503 (gave up after 2 attempts)',
      lastErrorKind: 'transient',
    });
  });

  it('links an existing remote account on a conflict instead of creating a twin', async () => {
    const fixture = await pipelineFixture([
      { id: 'crm', mapping, pattern: { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' } },
    ]);
    const target = fixture.targets.crm;
    await target.connector().createUser({ localId: 'elsewhere', user: { userName: 'ada' }, attributes: {}, accountName: 'ada' });
    target.calls.length = 0;
    await fixture.runtime.identities.createUser({ userName: 'ada', title: 'CTO' }, actor);
    await fixture.settle();
    expect(target.users.size).toBe(1);
    expect(target.calls.map((c) => c.op)).toEqual(['createUser', 'findUser', 'updateUser']);
    expect(target.users.get('r1')?.attributes).toMatchObject({ title: 'CTO' });
  });

  it('deprovisions a user who leaves scope and reactivates one who comes back', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, scope: 'active eq true' }]);
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada', active: true }, actor);
    await fixture.settle();
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'ada', active: false }, actor);
    await fixture.settle();
    expect(target.users.get('r1')?.active).toBe(false);
    expect(await fixture.store.getLink('crm', 'user', resource.id as string)).toMatchObject({
      status: 'deprovisioned',
      remoteActive: false,
      remoteId: 'r1',
    });
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'ada', active: true }, actor);
    await fixture.settle();
    expect(target.users.get('r1')?.active).toBe(true);
    expect(target.count('createUser')).toBe(1);
    expect(target.calls.map((c) => c.op)).toEqual(['createUser', 'deleteUser', 'updateUser']);
  });

  it('provisions only users in a group-based scope, and deprovisions them when they leave the group', async () => {
    const fixture = await pipelineFixture([{ id: 'sales-crm', mapping, scope: 'groups.display eq "Sales"', provisionGroups: false }]);
    const target = fixture.targets['sales-crm'];
    const ada = (await fixture.runtime.identities.createUser({ userName: 'ada' }, actor)).resource.id as string;
    const bob = (await fixture.runtime.identities.createUser({ userName: 'bob' }, actor)).resource.id as string;
    await fixture.settle();
    expect(target.count('createUser')).toBe(0);
    const sales = (await fixture.runtime.identities.createGroup({ displayName: 'Sales', members: [{ value: ada }] }, actor)).resource
      .id as string;
    await fixture.settle();
    expect([...target.users.values()].map((u) => u.attributes.userName)).toEqual(['ada']);
    await fixture.runtime.identities.replaceGroup(sales, { displayName: 'Sales', members: [{ value: bob }] }, actor);
    await fixture.settle();
    const byName = Object.fromEntries([...target.users.values()].map((u) => [u.attributes.userName, u.active]));
    expect(byName).toEqual({ ada: false, bob: true });
  });

  it('provisions groups with the remote ids of their members and follows membership changes', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    const target = fixture.targets.crm;
    const ada = (await fixture.runtime.identities.createUser({ userName: 'ada' }, actor)).resource.id as string;
    const bob = (await fixture.runtime.identities.createUser({ userName: 'bob' }, actor)).resource.id as string;
    const group = (
      await fixture.runtime.identities.createGroup({ displayName: 'Engineering', members: [{ value: ada }, { value: bob }] }, actor)
    ).resource.id as string;
    await fixture.settle();
    const remoteIdOf = async (id: string) => (await fixture.store.getLink('crm', 'user', id))?.remoteId;
    const [remoteGroup] = [...target.groups.values()];
    expect(remoteGroup.name).toBe('Engineering');
    expect([...remoteGroup.members].sort()).toEqual([await remoteIdOf(ada), await remoteIdOf(bob)].sort());
    await fixture.runtime.identities.replaceGroup(group, { displayName: 'Engineering', members: [{ value: bob }] }, actor);
    await fixture.settle();
    expect([...remoteGroup.members]).toEqual([await remoteIdOf(bob)]);
    expect(target.count('removeMembers')).toBe(1);
    await fixture.runtime.identities.deleteGroup(group, actor);
    await fixture.settle();
    expect(target.groups.size).toBe(0);
  });

  it('adds a member to its remote group once the member itself is provisioned', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    const target = fixture.targets.crm;
    target.failNext('createUser', transient());
    const ada = (await fixture.runtime.identities.createUser({ userName: 'ada' }, actor)).resource.id as string;
    await fixture.runtime.identities.createGroup({ displayName: 'Ops', members: [{ value: ada }] }, actor);
    await fixture.settle();
    const adaRemote = (await fixture.store.getLink('crm', 'user', ada))?.remoteId;
    expect(adaRemote).toBeDefined();
    expect([...[...target.groups.values()][0].members]).toEqual([adaRemote]);
  });

  it('hands the password only to targets with password provisioning, and forgets it afterwards', async () => {
    const fixture = await pipelineFixture([
      { id: 'with', mapping, passwordProvisioning: true },
      { id: 'without', mapping },
    ]);
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada', password: 'S3cret-pass!' }, actor);
    await fixture.settle();
    expect(fixture.targets.with.calls[0].args.password).toBe('S3cret-pass!');
    expect(fixture.targets.without.calls[0].args.password).toBeUndefined();
    expect(await fixture.store.pendingPassword(resource.id as string)).toBeUndefined();
    const stored = await fixture.store.getUser(resource.id as string);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(stored)).not.toContain('S3cret-pass!');
  });

  it('keeps the password for a target that failed for good; its retry sends it; neither target gets it again', async () => {
    const fixture = await pipelineFixture([
      { id: 'crm', mapping, passwordProvisioning: true },
      { id: 'hr', mapping, passwordProvisioning: true },
    ]);
    fixture.targets.hr.failNext('createUser', permanent('INVALID_CROSS_REFERENCE_KEY: ProfileId'));
    const id = (await fixture.runtime.identities.createUser({ userName: 'kim', password: 'Kim-pass-123' }, actor)).resource.id as string;
    await fixture.settle();
    expect(await fixture.store.pendingPassword(id)).toMatchObject({ awaiting: ['hr'] });
    const [failed] = await fixture.store.listJobs({ status: 'failed', instanceId: 'hr' });
    await fixture.store.retryFailedJobs({ jobId: failed.id }, Date.now());
    await fixture.settle();
    // A later update: both targets have the password, so neither gets it again.
    await fixture.runtime.identities.replaceUser(id, { userName: 'kim', title: 'Lead' }, actor);
    await fixture.settle();
    expect(fixture.targets.crm.count('updateUser')).toBe(1);
    const passwordsSent = (target: 'crm' | 'hr') => fixture.targets[target].calls.filter((c) => c.args.password !== undefined);
    expect(passwordsSent('crm').map((c) => c.op)).toEqual(['createUser']);
    expect(passwordsSent('hr').map((c) => [c.op, c.args.password])).toEqual([
      ['createUser', 'Kim-pass-123'], // the refused attempt
      ['createUser', 'Kim-pass-123'], // the retry
    ]);
    expect(await fixture.store.pendingPassword(id)).toBeUndefined();
  });

  it('coalesces updates that pile up while a user waits', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }], { runWorker: true });
    await fixture.runtime.stop();
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    for (const title of ['A', 'B', 'C', 'D'])
      await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'ada', title }, actor);
    await fixture.runtime.start();
    await fixture.settle();
    const target = fixture.targets.crm;
    expect(target.count('createUser')).toBe(1);
    expect(target.count('updateUser')).toBe(0);
    expect(target.users.get('r1')?.attributes.title).toBe('D');
    expect((await fixture.store.jobCounts()).superseded).toBe(4);
  });

  it('respects the per-target concurrency limit', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, concurrency: 2 }]);
    const connector = fixture.runtime.targets[0].instance.connector;
    const create = connector.createUser.bind(connector);
    let running = 0;
    let peak = 0;
    connector.createUser = async (payload) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return create(payload);
    };
    for (let i = 0; i < 10; i += 1) await fixture.runtime.identities.createUser({ userName: `u${i}` }, actor);
    await fixture.settle();
    expect(fixture.targets.crm.count('createUser')).toBe(10);
    expect(peak).toBe(2);
  });

  it('reports a blocking target’s failure to the caller and keeps the local write', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, mode: 'blocking', blockingTimeoutMs: 3000 }]);
    fixture.targets.crm.failNext('createUser', permanent('INVALID_CROSS_REFERENCE_KEY: ProfileId'));
    const result = await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    expect(result.blockingFailures).toEqual([{ instanceId: 'crm', error: 'INVALID_CROSS_REFERENCE_KEY: ProfileId' }]);
    expect(await fixture.runtime.identities.getUser(result.resource.id as string)).toBeDefined();
    const ok = await fixture.runtime.identities.createUser({ userName: 'bob' }, actor);
    expect(ok.blockingFailures).toEqual([]);
    expect(fixture.targets.crm.users.size).toBe(1);
  });

  it('reconciles: re-plans identities whose link is missing or failed', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping }], { runWorker: true });
    fixture.targets.crm.failNext('createUser', permanent('down for maintenance'));
    await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    await fixture.runtime.identities.createUser({ userName: 'bob' }, actor);
    await fixture.settle();
    expect(fixture.targets.crm.users.size).toBe(1);
    const result = await fixture.runtime.identities.reconcile('crm', actor);
    expect(result).toEqual({ scanned: 2, planned: 1 });
    await fixture.settle();
    expect(fixture.targets.crm.users.size).toBe(2);
    expect(await fixture.runtime.identities.reconcile('crm', actor)).toEqual({ scanned: 2, planned: 0 });
  });

  it('classifies what it throws', () => {
    expect(isTransientError(transient())).toBe(true);
  });
});

describe('batching through provisionBatch', () => {
  it('carries user operations in batches of the connector’s size, each job with its own outcome', async () => {
    const fixture = await pipelineFixture(
      [
        {
          id: 'crm',
          mapping,
          pattern: { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' },
          concurrency: 1,
        },
      ],
      { batchSize: 3 },
    );
    await fixture.runtime.stop();
    const target = fixture.targets.crm;
    // An account that already exists remotely (conflict → linked), and one transient failure (retried).
    await target.connector().createUser({ localId: 'x', user: { userName: 'u2' }, attributes: {}, accountName: 'u2' });
    target.calls.length = 0;
    target.failNext('batch:createUser', transient('one record timed out'));
    for (let i = 0; i < 7; i += 1) await fixture.runtime.identities.createUser({ userName: `u${i}` }, actor);
    await fixture.runtime.start();
    await fixture.settle();
    expect(target.users.size).toBe(7);
    const batches = target.calls.filter((c) => c.op === 'provisionBatch').map((c) => Number(c.args.size));
    // 7 jobs, at most 3 per call; the first two claims are full batches. (How the
    // retried job and the seventh meet depends on timing: together or one by one.)
    expect(batches.slice(0, 2)).toEqual([3, 3]);
    expect(Math.max(...batches)).toBe(3);
    const jobs = await fixture.store.listJobs({});
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect(jobs.filter((j) => j.attempts === 2)).toHaveLength(1);
    // The retried create went through find-then-create on its own, not in a batch.
    expect(target.count('findUser')).toBeGreaterThanOrEqual(2);
  });

  it('sends updates and deprovisioning in batches too, and can be switched off per instance', async () => {
    const fixture = await pipelineFixture(
      [
        { id: 'crm', mapping, scope: 'active eq true', batch: { enabled: false } },
        { id: 'bulk', mapping, scope: 'active eq true' },
      ],
      { batchSize: 10 },
    );
    const ids: string[] = [];
    await fixture.runtime.stop();
    for (let i = 0; i < 4; i += 1)
      ids.push((await fixture.runtime.identities.createUser({ userName: `u${i}`, active: true }, actor)).resource.id as string);
    await fixture.runtime.start();
    await fixture.settle();
    await fixture.runtime.stop();
    for (const id of ids) await fixture.runtime.identities.replaceUser(id, { userName: `x${id}`, active: false }, actor);
    await fixture.runtime.start();
    await fixture.settle();
    expect(fixture.targets.crm.count('provisionBatch')).toBe(0);
    expect(fixture.targets.crm.count('deleteUser')).toBe(4);
    // One batch for the four creates, one for the four deprovisionings.
    expect(fixture.targets.bulk.calls.filter((c) => c.op === 'provisionBatch').map((c) => c.args.size)).toEqual([4, 4]);
    expect([...fixture.targets.bulk.users.values()].every((u) => !u.active)).toBe(true);
    expect([...fixture.targets.crm.users.values()].every((u) => !u.active)).toBe(true);
  });
});

describe('rate limits', () => {
  it('counts every operation of a batch when the target’s quota does (Google), not just the call', async () => {
    const fixture = await pipelineFixture([{ id: 'quota', mapping, rateLimit: { perSecond: 5, burst: 5 } }], {
      batchSize: 10,
      eachOperationCounts: true,
    });
    await fixture.runtime.stop();
    for (let i = 0; i < 12; i += 1) await fixture.runtime.identities.createUser({ userName: `u${i}` }, actor);
    const started = Date.now();
    await fixture.runtime.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The burst allows 5 operations at once (the first batch carries 5, not 10),
    // then one more every 200 ms: by now 5 to 7, where counting calls would give 10.
    expect(fixture.targets.quota.users.size).toBeGreaterThanOrEqual(5);
    expect(fixture.targets.quota.users.size).toBeLessThanOrEqual(7);
    await fixture.settle(10000);
    expect(fixture.targets.quota.users.size).toBe(12);
    // 7 more operations at 5/s need more than a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('waits out a Retry-After before any call to that target, not only the refused job', async () => {
    const fixture = await pipelineFixture([
      { id: 'crm', mapping, concurrency: 1 },
      { id: 'other', mapping, concurrency: 1 },
    ]);
    await fixture.runtime.stop();
    for (let i = 0; i < 4; i += 1) await fixture.runtime.identities.createUser({ userName: `u${i}` }, actor);
    const calls: Record<string, number[]> = { crm: [], other: [] };
    for (const target of fixture.runtime.targets) {
      const connector = target.instance.connector;
      const create = connector.createUser.bind(connector);
      connector.createUser = (payload) => {
        calls[target.id].push(Date.now());
        return create(payload);
      };
    }
    fixture.targets.crm.failNext('createUser', transient('429 Too Many Requests', 400));
    await fixture.runtime.start();
    await fixture.settle(5000);
    expect(fixture.targets.crm.users.size).toBe(4);
    const [refused, ...rest] = calls.crm;
    // Nothing to the refusing target within its Retry-After; the other target is not held back.
    expect(rest.every((at) => at - refused >= 390)).toBe(true);
    expect(calls.other).toHaveLength(4);
    expect(Math.max(...calls.other) - refused).toBeLessThan(390);
  });
});
