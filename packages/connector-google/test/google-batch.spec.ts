// provisionBatch through the Directory API batch endpoint: one request, each job its own outcome.
import type { BatchOperation } from '@provisio/core';
import { configFor, connectorFor, DOMAIN, generateKeyPair, useConnectorTestBed, userPayload } from './google-fixtures.js';

describe('Google connector: batch', () => {
  const bed = useConnectorTestBed();

  it('maps every part of one batch request back to its job, with classified errors', async () => {
    const existing = await bed.connector.createUser(userPayload('taken'));
    const toUpdate = userPayload('updated', { title: 'Engineer' });
    const updated = await bed.connector.createUser(toUpdate);
    const toSuspend = await bed.connector.createUser(userPayload('suspended'));
    const batchesBefore = bed.emulator.state.batchCount;
    const passwordsBefore = bed.emulator.state.passwordChanges().length;

    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: 'new', payload: userPayload('fresh', { title: 'Analyst' }) },
      { kind: 'createUser', jobId: 'duplicate', payload: userPayload('taken') },
      { kind: 'createUser', jobId: 'invalid', payload: userPayload('nofamily', { familyName: undefined }) },
      { kind: 'createUser', jobId: 'unmappable', payload: userPayload('odd', { nickname: 'x' }) },
      {
        kind: 'updateUser',
        jobId: 'update',
        payload: {
          ...toUpdate,
          attributes: { ...toUpdate.attributes, title: 'Lead' },
          remoteId: updated.remoteId,
          changed: { title: 'Lead' },
        },
      },
      { kind: 'updateUser', jobId: 'noop', payload: { ...toUpdate, remoteId: updated.remoteId, changed: {} } },
      { kind: 'deleteUser', jobId: 'suspend', payload: { localId: 'l', remoteId: toSuspend.remoteId } },
      { kind: 'deleteUser', jobId: 'gone', payload: { localId: 'l', remoteId: '100000000000000000009' } },
    ];
    const outcomes = await bed.connector.provisionBatch(operations);

    expect(bed.emulator.state.batchCount).toBe(batchesBefore + 1);
    expect(outcomes.map((o) => o.jobId)).toEqual(operations.map((o) => o.jobId));
    const byJob = Object.fromEntries(outcomes.map((o) => [o.jobId, o]));
    expect(byJob['new']).toEqual({
      jobId: 'new',
      ok: true,
      ref: { remoteId: expect.stringMatching(/^1\d{20}$/), remoteName: `fresh@${DOMAIN}` },
    });
    expect(byJob['duplicate']).toMatchObject({ ok: false, error: { kind: 'conflict', remoteCode: 409 } });
    expect(byJob['invalid']).toMatchObject({
      ok: false,
      error: { kind: 'permanent', remoteCode: 400, message: expect.stringContaining('FamilyName') },
    });
    expect(byJob['unmappable']).toMatchObject({ ok: false, error: { kind: 'permanent', message: expect.stringContaining('nickname') } });
    expect(byJob['update']).toEqual({ jobId: 'update', ok: true, ref: { remoteId: updated.remoteId, remoteName: `updated@${DOMAIN}` } });
    expect(byJob['noop']).toMatchObject({ ok: true });
    expect(byJob['suspend']).toEqual({ jobId: 'suspend', ok: true, deletion: { mode: 'deactivated' } });
    expect(byJob['gone']).toEqual({ jobId: 'gone', ok: true, deletion: { mode: 'deleted' } });

    expect(bed.emulator.state.user(`fresh@${DOMAIN}`)).toMatchObject({ organizations: [{ title: 'Analyst' }] });
    expect(bed.emulator.state.user(updated.remoteId)).toMatchObject({ organizations: [{ title: 'Lead' }] });
    expect(bed.emulator.state.user(toSuspend.remoteId)).toMatchObject({ suspended: true });
    expect(bed.emulator.state.user(existing.remoteId)).toBeDefined();
    // Only the new account got a password.
    expect(
      bed.emulator.state
        .passwordChanges()
        .slice(passwordsBefore)
        .map((e) => e.primaryEmail),
    ).toEqual([`fresh@${DOMAIN}`]);
  });

  it('gives each job a transient outcome when parts hit rate limits', async () => {
    bed.emulator.faults.rateLimitNext(1, 3);
    const outcomes = await bed.connector.provisionBatch([
      { kind: 'createUser', jobId: 'a', payload: userPayload('limited1') },
      { kind: 'createUser', jobId: 'b', payload: userPayload('limited2') },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { kind: 'transient', remoteCode: 429, retryAfterMs: 3000 } });
    expect(outcomes[1]).toMatchObject({ ok: true });
  });

  it('splits more than 1,000 operations into several batch requests', async () => {
    const before = bed.emulator.state.batchCount;
    const operations: BatchOperation[] = Array.from({ length: 1001 }, (_, i) => ({
      kind: 'createUser',
      jobId: `bulk-${i}`,
      payload: userPayload(`bulk${i}`),
    }));
    const outcomes = await bed.connector.provisionBatch(operations);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1001);
    expect(bed.emulator.state.batchCount).toBe(before + 2);
  });

  it('sends no batch request once the jobs’ lease deadline has passed', async () => {
    const before = bed.emulator.state.batchCount;
    const operations: BatchOperation[] = [{ kind: 'createUser', jobId: 'late', payload: userPayload('latecomer') }];
    const outcomes = await bed.connector.provisionBatch(operations, undefined, { signal: AbortSignal.abort(new Error('lease deadline')) });
    expect(outcomes).toMatchObject([{ jobId: 'late', ok: false }]);
    expect(bed.emulator.state.batchCount).toBe(before);
    expect(bed.emulator.state.users().some((u) => String(u['primaryEmail']).startsWith('latecomer'))).toBe(false);
  });

  it('runs jobs with aliases one by one, and fails every job transiently when Google cannot be reached', async () => {
    const [withAlias] = await bed.connector.provisionBatch([
      { kind: 'createUser', jobId: 'alias', payload: userPayload('aliased', { aliases: `aka@${DOMAIN}` }) },
    ]);
    expect(withAlias).toMatchObject({ ok: true });
    expect(bed.emulator.state.user(`aliased@${DOMAIN}`)).toMatchObject({ aliases: [`aka@${DOMAIN}`] });

    const keys = generateKeyPair();
    const unreachable = await connectorFor(
      configFor(bed.emulator, keys, { rootUrl: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token' }),
    );
    const outcomes = await unreachable.provisionBatch([
      { kind: 'createUser', jobId: 'x', payload: userPayload('x') },
      { kind: 'deleteUser', jobId: 'y', payload: { localId: 'l', remoteId: '1' } },
    ]);
    expect(outcomes).toEqual([
      { jobId: 'x', ok: false, error: expect.objectContaining({ kind: 'transient' }) },
      { jobId: 'y', ok: false, error: expect.objectContaining({ kind: 'transient' }) },
    ]);
  });
});
