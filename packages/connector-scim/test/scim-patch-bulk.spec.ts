import { isConflictError, isPermanentError, type BatchOperation } from '@provisio/core';
import { sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture } from './scim-test-support.js';

let fixture: ScimFixture | undefined;
afterEach(() => fixture?.teardown());

const start = async (options: FixtureOptions) => (fixture = await scimFixture(options));
const methods = (f: ScimFixture, path: string) =>
  f.emulator.state
    .requests()
    .filter((r) => r.path.startsWith(path))
    .map((r) => `${r.method} ${r.status}`);

describe('PATCH or PUT', () => {
  it('falls back to PUT when the service refuses the PATCH it advertises, and remembers', async () => {
    const f = await start({ type: 'scim2' });
    const ref = await f.connector.createUser(sampleUser(1));
    f.emulator.faults.rejectPatch(501);
    const payload = sampleUser(1);
    await f.connector.updateUser({
      ...payload,
      remoteId: ref.remoteId,
      attributes: { ...payload.attributes, title: 'CTO' },
      changed: { title: 'CTO' },
    });
    await f.connector.updateUser({
      ...payload,
      remoteId: ref.remoteId,
      attributes: { ...payload.attributes, title: 'CEO' },
      changed: { title: 'CEO' },
    });
    expect(methods(f, `/scim/v2/Users/${ref.remoteId}`)).toEqual(['PATCH 501', 'PUT 200', 'PUT 200']);
    expect(userById(f.emulator, ref.remoteId)).toMatchObject({ title: 'CEO', name: { givenName: 'Ada' } });
  });

  it('sends only the changed attributes by PATCH when the service supports it', async () => {
    const f = await start({ type: 'scim2' });
    const payload = sampleUser(2);
    const ref = await f.connector.createUser(payload);
    await f.connector.updateUser({ ...payload, accountName: undefined, remoteId: ref.remoteId, changed: { title: null } });
    expect(methods(f, `/scim/v2/Users/${ref.remoteId}`)).toEqual(['PATCH 200']);
    expect(userById(f.emulator, ref.remoteId)?.['title']).toBeUndefined();
  });

  it('never PATCHes with patch: "never", and does not ask the ServiceProviderConfig', async () => {
    const f = await start({ type: 'scim2', config: { patch: 'never' } });
    const payload = sampleUser(3);
    const ref = await f.connector.createUser(payload);
    await f.connector.updateUser({
      ...payload,
      remoteId: ref.remoteId,
      changed: { title: 'CTO' },
      attributes: { ...payload.attributes, title: 'CTO' },
    });
    expect(methods(f, '/scim/v2')).toEqual(['POST 201', 'PUT 200']);
  });

  it('adds and removes members with GET + PUT when the service has no PATCH', async () => {
    const f = await start({ type: 'scim2', emulator: { patch: false } });
    const a = await f.connector.createUser(sampleUser(4));
    const group = await f.connector.createGroup({ localId: 'g', group: { displayName: 'Sales' }, attributes: { displayName: 'Sales' } });
    await f.connector.addMembers({ groupLocalId: 'g', groupRemoteId: group.remoteId, memberRemoteIds: [a.remoteId] });
    expect(f.emulator.state.findGroupByDisplayName('Sales')?.['members']).toEqual([expect.objectContaining({ value: a.remoteId })]);
    expect(methods(f, '/scim/v2/Groups/')).toEqual(['GET 200', 'PUT 200']);
  });
});

describe('Bulk', () => {
  const creates = (from: number, count: number): BatchOperation[] =>
    Array.from({ length: count }, (_, i) => ({ kind: 'createUser', jobId: `job-${from + i}`, payload: sampleUser(from + i) }));

  it('batches within maxOperations and maps each result to its job', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true, maxOperations: 2 } } });
    const outcomes = await f.connector.provisionBatch(creates(10, 5));
    expect(outcomes.map((o) => [o.jobId, o.ok])).toEqual(creates(10, 5).map((op) => [op.jobId, true]));
    for (const outcome of outcomes) if (outcome.ok) expect(userById(f.emulator, outcome.ref?.remoteId ?? '')).toBeDefined();
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(3);
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Users')).toBe(0);
  });

  it('classifies each failed operation on its own: conflict, permanent, and successes beside them', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true } } });
    const existing = await f.connector.createUser(sampleUser(20));
    f.emulator.faults.refuseAccount(sampleUser(22).accountName ?? '', { status: 400, message: 'refused by policy' });
    const outcomes = await f.connector.provisionBatch([
      { kind: 'createUser', jobId: 'dup', payload: sampleUser(20) },
      { kind: 'createUser', jobId: 'new', payload: sampleUser(21) },
      { kind: 'createUser', jobId: 'bad', payload: sampleUser(22) },
      { kind: 'updateUser', jobId: 'upd', payload: { ...sampleUser(20), remoteId: existing.remoteId, changed: { title: 'CTO' } } },
      { kind: 'deleteUser', jobId: 'del', payload: { localId: 'gone', remoteId: 'no-such-id' } },
    ]);
    const byJob = Object.fromEntries(outcomes.map((o) => [o.jobId, o]));
    expect(byJob['dup']).toMatchObject({ ok: false });
    expect(!byJob['dup'].ok && isConflictError(byJob['dup'].error)).toBe(true);
    expect(byJob['new']).toMatchObject({ ok: true, ref: { remoteName: 'user21@example.com' } });
    expect(!byJob['bad'].ok && isPermanentError(byJob['bad'].error) && byJob['bad'].error.message).toContain('refused by policy');
    expect(byJob['upd']).toMatchObject({ ok: true });
    expect(byJob['del']).toMatchObject({ ok: true });
    expect(userById(f.emulator, existing.remoteId)?.['title']).toBe('CTO');
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(1);
  });

  it('splits by maxPayloadSize', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true, maxOperations: 100, maxPayloadSize: 1500 } } });
    const outcomes = await f.connector.provisionBatch(creates(30, 6));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBeGreaterThan(1);
  });

  it('sends single requests when the service has no Bulk, or with bulk: "never"', async () => {
    const off = await start({ type: 'scim2' });
    expect((await off.connector.provisionBatch(creates(40, 2))).every((o) => o.ok)).toBe(true);
    expect(off.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(0);
    expect(off.emulator.state.countRequests('POST', '/scim/v2/Users')).toBe(2);
    await off.teardown();
    const never = await start({ type: 'scim2', emulator: { bulk: { supported: true } }, config: { bulk: 'never' } });
    expect((await never.connector.provisionBatch(creates(50, 2))).every((o) => o.ok)).toBe(true);
    expect(never.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(0);
  });

  it('without Bulk, reports each outcome before the next request goes out, and says one operation per request', async () => {
    const f = await start({ type: 'scim2' });
    expect(await f.connector.batchLimit()).toBe(1);
    const seen: number[] = [];
    await f.connector.provisionBatch(creates(70, 3), async () => {
      seen.push(f.emulator.state.countRequests('POST', '/scim/v2/Users'));
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('with Bulk, says how many operations one request carries and reports each outcome once', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true, maxOperations: 7 } } });
    expect(await f.connector.batchLimit()).toBe(7);
    const reported: string[] = [];
    const outcomes = await f.connector.provisionBatch(creates(80, 3), async (outcome) => {
      reported.push(outcome.jobId);
    });
    expect(reported.sort()).toEqual(outcomes.map((o) => o.jobId).sort());
  });

  it('falls back to single requests when /Bulk is refused although advertised', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true } } });
    await f.connector.check();
    f.emulator.faults.setBulkSupported(false);
    expect((await f.connector.provisionBatch(creates(60, 2))).every((o) => o.ok)).toBe(true);
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Users')).toBe(2);
  });
});
