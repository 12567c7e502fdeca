// Users through the real connector against the Google emulator, with a JSON service account key.
import { CallDeadline } from '@provisio/core/engine';
import { ADMIN, configFor, connectorFor, DOMAIN, useConnectorTestBed, userPayload } from './google-fixtures.js';

describe('Google connector: users (JSON key)', () => {
  const bed = useConnectorTestBed({ changePasswordAtNextLogin: true });

  it('creates a user with name, organization, phone, externalId and org unit, and a random password set once', async () => {
    const payload = userPayload('ada', {
      title: 'Engineer',
      department: 'R&D',
      phone: '+15551234567',
      externalId: 'E-1',
      orgUnitPath: '/Sales',
    });
    const ref = await bed.connector.createUser(payload);
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^1\d{20}$/), remoteName: `ada@${DOMAIN}` });
    const user = bed.emulator.state.user(ref.remoteId)!;
    expect(user).toMatchObject({
      primaryEmail: `ada@${DOMAIN}`,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      orgUnitPath: '/Sales',
      changePasswordAtNextLogin: true,
      organizations: [{ title: 'Engineer', department: 'R&D', primary: true, type: 'work' }],
      phones: [{ value: '+15551234567', type: 'work', primary: true }],
      externalIds: [{ value: 'E-1', type: 'organization' }],
    });
    expect(bed.emulator.state.passwordChanges(ref.remoteId).map((e) => e.via)).toEqual(['insert']);
  });

  it('sets the provisioned password when core passes one', async () => {
    const ref = await bed.connector.createUser(userPayload('grace', {}, { password: 'Corr3ct-horse-battery' }));
    expect(bed.emulator.state.verifyPassword(ref.remoteId, 'Corr3ct-horse-battery')).toBe(true);
  });

  it('truncates given and family names to 60 characters', async () => {
    const ref = await bed.connector.createUser(userPayload('longname', { givenName: 'G'.repeat(80), familyName: 'F'.repeat(61) }));
    expect(bed.emulator.state.user(ref.remoteId)!['name']).toMatchObject({ givenName: 'G'.repeat(60), familyName: 'F'.repeat(60) });
  });

  it('builds the primary email from the provisioning pattern: a bare account name gets @domain', async () => {
    const ref = await bed.connector.createUser(userPayload('ignored', {}, { accountName: 'PRIMARY_linus_carbon.super_google' }));
    expect(ref.remoteName).toBe('PRIMARY_linus_carbon.super_google');
    expect(bed.emulator.state.user(ref.remoteId)!['primaryEmail']).toBe(`primary_linus_carbon.super_google@${DOMAIN}`);
    const found = await bed.connector.findUser({ localId: 'x', accountName: 'PRIMARY_linus_carbon.super_google', attributes: {} });
    expect(found).toEqual({ remoteId: ref.remoteId, remoteName: 'PRIMARY_linus_carbon.super_google' });
  });

  it('updates only the changed fields and never touches the password', async () => {
    const payload = userPayload('barbara', { title: 'Engineer', department: 'R&D' });
    const ref = await bed.connector.createUser(payload);
    const callsBefore = bed.emulator.state.calls().length;
    await bed.connector.updateUser({
      ...payload,
      attributes: { ...payload.attributes, title: 'Director' },
      remoteId: ref.remoteId,
      changed: { title: 'Director' },
    });
    const patch = bed.emulator.state.calls().slice(callsBefore);
    expect(patch.map((c) => `${c.method} ${c.status}`)).toEqual(['PATCH 200']);
    const user = bed.emulator.state.user(ref.remoteId)!;
    expect(user['organizations']).toEqual([{ title: 'Director', department: 'R&D', primary: true, type: 'work' }]);
    expect(user['name']).toMatchObject({ givenName: 'Ada', familyName: 'Lovelace' });
    expect(bed.emulator.state.passwordChanges(ref.remoteId).map((e) => e.via)).toEqual(['insert']);
  });

  it('names the job, its claim and the worker in every call it makes for a job', async () => {
    const origin = { workerId: 'worker-12-abc', jobs: [{ id: '41', claim: 2 }] };
    const deadline = new CallDeadline(Date.now() + 60_000, { now: () => Date.now(), sleep: async () => undefined }, () => 'lease', origin);
    const payload = userPayload('named');
    const before = bed.emulator.state.calls().length;
    const ref = await bed.connector.createUser(payload, { signal: deadline.signal });
    await bed.connector.findUser(
      { localId: payload.localId, accountName: ref.remoteName, attributes: payload.attributes },
      { signal: deadline.signal },
    );
    deadline.dispose();
    const calls = bed.emulator.state.calls().slice(before);
    expect(calls.length).toBeGreaterThan(1);
    expect(new Set(calls.map((c) => c.origin))).toEqual(new Set(['41.2 worker-12-abc']));
  });

  it('makes no call when nothing Google keeps has changed', async () => {
    const payload = userPayload('quiet');
    const ref = await bed.connector.createUser(payload);
    const before = bed.emulator.state.callCount;
    await expect(bed.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {} })).resolves.toEqual(ref);
    expect(bed.emulator.state.callCount).toBe(before);
  });

  it('suspends on delete by default, reactivates on update, and finds by primary email and externalId', async () => {
    const payload = userPayload('carol', { externalId: 'E-42' });
    const ref = await bed.connector.createUser(payload);
    await expect(bed.connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deactivated' });
    expect(bed.emulator.state.user(ref.remoteId)!['suspended']).toBe(true);
    await bed.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: payload.attributes, reactivate: true });
    expect(bed.emulator.state.user(ref.remoteId)!['suspended']).toBe(false);
    expect(await bed.connector.findUser({ localId: 'x', attributes: { primaryEmail: `carol@${DOMAIN}` } })).toEqual({
      remoteId: ref.remoteId,
      remoteName: `carol@${DOMAIN}`,
    });
    expect(
      await bed.connector.findUser({ localId: 'x', attributes: { primaryEmail: `nobody@${DOMAIN}`, externalId: 'E-42' } }),
    ).toMatchObject({
      remoteId: ref.remoteId,
    });
    expect(await bed.connector.findUser({ localId: 'x', attributes: { primaryEmail: `nobody@${DOMAIN}` } })).toBeNull();
  });

  it('deletes when deleteMode is delete, and succeeds when the account is already gone', async () => {
    const deleting = await connectorFor(configFor(bed.emulator, bed.keys, { deleteMode: 'delete' }));
    const ref = await deleting.createUser(userPayload('dave'));
    await expect(deleting.deleteUser({ localId: 'l', remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deleted' });
    expect(bed.emulator.state.user(ref.remoteId)).toBeUndefined();
    await expect(deleting.deleteUser({ localId: 'l', remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deleted' });
    await expect(bed.connector.deleteUser({ localId: 'l', remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deleted' });
  });

  it('reports an existing address as a conflict, then finds the account to link', async () => {
    const first = await bed.connector.createUser(userPayload('erin'));
    const error = await bed.connector.createUser(userPayload('erin')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'conflict', remoteCode: 409 });
    expect(await bed.connector.findUser({ localId: 'x', attributes: { primaryEmail: `erin@${DOMAIN}` } })).toEqual({
      remoteId: first.remoteId,
      remoteName: `erin@${DOMAIN}`,
    });
  });

  it('fails permanently on Google validation errors, naming the field', async () => {
    const noFamily = await bed.connector.createUser(userPayload('frank', { familyName: undefined })).catch((e: unknown) => e);
    expect(noFamily).toMatchObject({ kind: 'permanent', remoteCode: 400 });
    expect((noFamily as Error).message).toContain('FamilyName');
    const otherDomain = await bed.connector
      .createUser(userPayload('frank', { primaryEmail: 'frank@elsewhere.org' }))
      .catch((e: unknown) => e);
    expect((otherDomain as Error).message).toContain('primary_user_email');
    const badOu = await bed.connector.createUser(userPayload('frank', { orgUnitPath: '/Nowhere' })).catch((e: unknown) => e);
    expect(badOu).toMatchObject({ kind: 'permanent' });
    expect((badOu as Error).message).toContain('INVALID_OU_ID');
    const weak = await bed.connector.createUser(userPayload('frank', {}, { password: 'short' })).catch((e: unknown) => e);
    expect((weak as Error).message).toContain('Invalid Password');
    expect((weak as Error).message).not.toContain('short');
  });

  it('rejects a remote field name it does not know before calling Google', async () => {
    const before = bed.emulator.state.callCount;
    await expect(bed.connector.createUser(userPayload('gina', { nickname: 'g' }))).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('nickname'),
    });
    expect(bed.emulator.state.callCount).toBe(before);
  });

  it('adds, keeps and removes aliases', async () => {
    const payload = userPayload('hal', { aliases: [`hal9000@${DOMAIN}`] });
    const ref = await bed.connector.createUser(payload);
    expect(bed.emulator.state.user(ref.remoteId)!['aliases']).toEqual([`hal9000@${DOMAIN}`]);
    await bed.connector.updateUser({
      ...payload,
      remoteId: ref.remoteId,
      changed: { aliases: [`hal@${DOMAIN}`.replace('hal@', 'h.a.l@')] },
    });
    expect(bed.emulator.state.user(ref.remoteId)!['aliases']).toEqual([`h.a.l@${DOMAIN}`]);
  });

  it('uses one token for many calls', async () => {
    const fresh = await connectorFor(configFor(bed.emulator, bed.keys));
    const before = bed.emulator.state.tokenRequestCount;
    for (let i = 0; i < 5; i++) await fresh.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } });
    await fresh.createUser(userPayload('ivan'));
    expect(bed.emulator.state.tokenRequestCount).toBe(before + 1);
  });
});
