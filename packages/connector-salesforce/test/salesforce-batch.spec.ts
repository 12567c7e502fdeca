import type { BatchOperation } from '@provisio/core';
import { CallDeadline } from '@provisio/core/engine';
import type { SalesforceEmulator } from '@provisio/emulators';
import { connectorFor, startEmulator, userPayload } from './salesforce-fixture.js';

describe('salesforce connector: provisionBatch over sObject Collections', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ usernamesTakenElsewhere: ['elsewhere@batch.example'] });
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  it('reports the creates’ outcomes before the updates’ collection request goes out', async () => {
    const connector = await connectorFor(emulator);
    const existing = await connector.createUser(userPayload(emulator));
    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: 'c1', payload: userPayload(emulator) },
      { kind: 'createUser', jobId: 'c2', payload: userPayload(emulator) },
      { kind: 'updateUser', jobId: 'u1', payload: { ...userPayload(emulator), remoteId: existing.remoteId, changed: { Title: 'Lead' } } },
    ];
    const calls: [string, number][] = [];
    const outcomes = await connector.provisionBatch(operations, async (outcome) => {
      calls.push([outcome.jobId, emulator.state.apiCallCount()]);
    });
    expect(calls.map(([jobId]) => jobId)).toEqual(['c1', 'c2', 'u1']);
    // The creates were reported while the update had not been sent yet.
    expect(calls[0][1]).toBeLessThan(calls[2][1]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('sends no request of the batch once its lease deadline has passed: the updates after a late create stay unsent', async () => {
    const connector = await connectorFor(emulator);
    const existing = await connector.createUser(userPayload(emulator));
    const lease = new AbortController();
    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: 'c1', payload: userPayload(emulator) },
      { kind: 'updateUser', jobId: 'u1', payload: { ...userPayload(emulator), remoteId: existing.remoteId, changed: { Title: 'Late' } } },
    ];
    const before = emulator.state.apiCallCount();
    // The deadline passes while the creates' outcomes are recorded (a stalled worker): another worker may own u1 now.
    const outcomes = await connector.provisionBatch(operations, async () => lease.abort(new Error('lease deadline')), {
      signal: lease.signal,
    });
    expect(outcomes.find((o) => o.jobId === 'c1')?.ok).toBe(true);
    expect(outcomes.find((o) => o.jobId === 'u1')?.ok).toBe(false);
    expect(emulator.state.apiCallCount() - before).toBe(1);
    expect(emulator.state.users().find((u) => u['Id'] === existing.remoteId)?.['Title']).not.toBe('Late');
  });

  it('names the jobs and attempts of the batch and the worker in every request it sends', async () => {
    const connector = await connectorFor(emulator);
    const existing = await connector.createUser(userPayload(emulator));
    const origin = {
      workerId: 'worker-12-abc',
      jobs: [
        { id: '41', claim: 2 },
        { id: '42', claim: 1 },
      ],
    };
    const deadline = new CallDeadline(Date.now() + 60_000, { now: () => Date.now(), sleep: async () => undefined }, () => 'lease', origin);
    const created = userPayload(emulator);
    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: '41', payload: created },
      { kind: 'updateUser', jobId: '42', payload: { ...userPayload(emulator), remoteId: existing.remoteId, changed: { Title: 'Named' } } },
    ];
    const before = emulator.state.restCalls().length;
    const outcomes = await connector.provisionBatch(operations, undefined, { signal: deadline.signal });
    deadline.dispose();
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const sent = emulator.state.restCalls().slice(before);
    expect(sent.map((c) => `${c.method} ${c.path}`)).toEqual(['POST composite/sobjects', 'PATCH composite/sobjects']);
    expect(sent.map((c) => c.origin)).toEqual(['41.2,42.1 worker-12-abc', '41.2,42.1 worker-12-abc']);
    expect(emulator.state.userWriteTimeline(String(created.attributes['Username'])).at(-1)).toMatch(/ from 41\.2,42\.1 worker-12-abc$/);
  });

  it('sends nothing when called after its lease deadline', async () => {
    const connector = await connectorFor(emulator);
    const before = emulator.state.apiCallCount();
    const outcomes = await connector.provisionBatch([{ kind: 'createUser', jobId: 'c1', payload: userPayload(emulator) }], undefined, {
      signal: AbortSignal.abort(new Error('lease deadline')),
    });
    expect(outcomes.map((o) => o.ok)).toEqual([false]);
    expect(emulator.state.apiCallCount()).toBe(before);
  });

  it('maps per-record results back to per-job outcomes', async () => {
    const connector = await connectorFor(emulator);
    const existing = await connector.createUser(userPayload(emulator));
    const toDeactivate = await connector.createUser(userPayload(emulator));
    const duplicateOfExisting = userPayload(emulator, {
      Username: String(emulator.state.users().find((u) => u['Id'] === existing.remoteId)?.['Username']),
    });
    const missingLastName = userPayload(emulator);
    delete missingLastName.attributes['LastName'];
    const withPassword = userPayload(emulator, {}, { password: 'BatchPassw0rd' });

    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: 'ok', payload: userPayload(emulator) },
      { kind: 'createUser', jobId: 'bad-profile', payload: userPayload(emulator, { ProfileId: '00e000000000999AAA' }) },
      { kind: 'createUser', jobId: 'no-lastname', payload: missingLastName },
      { kind: 'createUser', jobId: 'dup-here', payload: duplicateOfExisting },
      { kind: 'createUser', jobId: 'dup-elsewhere', payload: userPayload(emulator, { Username: 'elsewhere@batch.example' }) },
      { kind: 'createUser', jobId: 'password', payload: withPassword },
      {
        kind: 'updateUser',
        jobId: 'update',
        payload: { ...userPayload(emulator), remoteId: existing.remoteId, changed: { Title: 'Lead' } },
      },
      {
        kind: 'updateUser',
        jobId: 'update-bad-email',
        payload: { ...userPayload(emulator), remoteId: existing.remoteId, changed: { Email: 'nope' } },
      },
      { kind: 'deleteUser', jobId: 'deactivate', payload: { localId: 'd', remoteId: toDeactivate.remoteId } },
      { kind: 'deleteUser', jobId: 'deactivate-missing', payload: { localId: 'm', remoteId: '005000000000002AAA' } },
    ];
    const callsBefore = emulator.state.apiCallCount();
    const outcomes = await connector.provisionBatch(operations);
    expect(outcomes.map((o) => o.jobId)).toEqual(operations.map((o) => o.jobId));
    const byJob = Object.fromEntries(outcomes.map((o) => [o.jobId, o]));
    const kindOf = (jobId: string) => {
      const outcome = byJob[jobId];
      return outcome.ok ? 'ok' : (outcome.error as Error & { kind?: string }).kind;
    };
    expect(kindOf('ok')).toBe('ok');
    expect(kindOf('bad-profile')).toBe('permanent');
    expect(kindOf('no-lastname')).toBe('permanent');
    expect(kindOf('dup-here')).toBe('conflict');
    expect(kindOf('dup-elsewhere')).toBe('permanent');
    expect(kindOf('password')).toBe('ok');
    expect(kindOf('update')).toBe('ok');
    expect(kindOf('update-bad-email')).toBe('permanent');
    expect(kindOf('deactivate')).toBe('ok');
    expect(kindOf('deactivate-missing')).toBe('ok');

    const badProfile = byJob['bad-profile'];
    expect(!badProfile.ok && badProfile.error.message).toContain('ProfileId');
    const dupHere = byJob['dup-here'];
    expect(!dupHere.ok && (dupHere.error as Error & { existingRemoteId?: string }).existingRemoteId).toBe(existing.remoteId);
    const created = byJob['password'];
    expect(created.ok && emulator.state.passwordMatches(created.ref!.remoteId, 'BatchPassw0rd')).toBe(true);
    expect(emulator.state.users().find((u) => u['Id'] === existing.remoteId)?.['Title']).toBe('Lead');
    expect(emulator.state.users().find((u) => u['Id'] === toDeactivate.remoteId)?.['IsActive']).toBe(false);
    // 1 create collection + 1 update collection (update + deactivations) ... plus per-record follow-ups:
    // 2 duplicate lookups, 1 password. Far fewer than one call per operation would need.
    expect(emulator.state.apiCallCount() - callsBefore).toBeLessThanOrEqual(6);
  });

  it('sends 200 records per call', async () => {
    const connector = await connectorFor(emulator);
    const operations: BatchOperation[] = Array.from({ length: 450 }, (_, i) => ({
      kind: 'createUser',
      jobId: `j${i}`,
      payload: userPayload(emulator),
    }));
    const callsBefore = emulator.state.apiCallCount();
    const outcomes = await connector.provisionBatch(operations);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(emulator.state.apiCallCount() - callsBefore).toBe(3);
  });

  it('fails every job of a call that failed as a whole, transiently', async () => {
    const connector = await connectorFor(emulator);
    await connector.check(); // log in first, so the fault hits the collection call
    emulator.faults.failNext(1);
    const outcomes = await connector.provisionBatch([
      { kind: 'createUser', jobId: 'a', payload: userPayload(emulator) },
      { kind: 'createUser', jobId: 'b', payload: userPayload(emulator) },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : (o.error as Error & { kind?: string }).kind))).toEqual(['transient', 'transient']);
  });
});
