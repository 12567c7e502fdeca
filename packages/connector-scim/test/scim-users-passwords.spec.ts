import { isPermanentError, MASK } from '@provisio/core';
import { sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture } from './scim-test-support.js';

let fixture: ScimFixture | undefined;
afterEach(() => fixture?.teardown());
const start = async (options: FixtureOptions) => (fixture = await scimFixture(options));

describe('passwords (enablePasswordProvisioning, defaultPassword)', () => {
  const received = 'Received-Pa55!';

  it('sends the received password when forwarding is on (the default)', async () => {
    const f = await start({ type: 'scim2', config: { defaultPassword: 'Default-Pa55!' } });
    await f.connector.createUser({ ...sampleUser(1), password: received });
    expect(f.emulator.state.passwordOf('user1@example.com')).toBe(received);
  });

  it('sends the default password when forwarding is off, or when none was received', async () => {
    const f = await start({ type: 'scim11', config: { enablePasswordProvisioning: false, defaultPassword: 'Default-Pa55!' } });
    await f.connector.createUser({ ...sampleUser(2), password: received });
    await f.connector.createUser(sampleUser(3));
    expect(f.emulator.state.passwordOf('user2@example.com')).toBe('Default-Pa55!');
    expect(f.emulator.state.passwordOf('user3@example.com')).toBe('Default-Pa55!');
  });

  it('sends no password without either, and never resets to the default on update', async () => {
    const f = await start({ type: 'scim2', config: { defaultPassword: 'Default-Pa55!' } });
    const payload = sampleUser(4);
    const ref = await f.connector.createUser(payload);
    await f.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: { title: 'CTO' } });
    expect(f.emulator.state.passwordOf('user4@example.com')).toBe('Default-Pa55!');
    await f.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {}, password: 'Changed-Pa55!' });
    expect(f.emulator.state.passwordOf('user4@example.com')).toBe('Changed-Pa55!');
    await f.teardown();
    const bare = await start({ type: 'scim2' });
    await bare.connector.createUser(sampleUser(5));
    expect(bare.emulator.state.passwordOf('user5@example.com')).toBeUndefined();
  });

  it('scrubs the password and secrets from what the service echoes back', async () => {
    const f = await start({ type: 'scim2', auth: 'bearer', config: { defaultPassword: 'Default-Pa55!' } });
    f.emulator.faults.refuseAccount('user6@example.com', {
      status: 400,
      message: 'password Default-Pa55! and token bearer-secret-2 rejected',
    });
    const error = await f.connector.createUser(sampleUser(6)).catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect((error as Error).message).toContain(`password ${MASK} and token ${MASK} rejected`);
  });
});

describe('userName, userStoreDomain and lookups', () => {
  it('prefixes the user store domain as WSO2 does, and finds the user by it', async () => {
    const f = await start({ type: 'scim2', config: { userStoreDomain: 'Domain' } });
    const payload = sampleUser(7);
    const ref = await f.connector.createUser(payload);
    expect(userById(f.emulator, ref.remoteId)).toMatchObject({ userName: 'DOMAIN/user7@example.com', externalId: 'local-7' });
    expect(await f.connector.findUser({ localId: 'other', accountName: payload.accountName, attributes: {} })).toEqual({
      remoteId: ref.remoteId,
      remoteName: 'DOMAIN/user7@example.com',
    });
  });

  it('escapes quotes in filters, and finds by externalId (the local id) when the name changed', async () => {
    const f = await start({ type: 'scim2' });
    const payload = { ...sampleUser(8), accountName: 'o"brien\\8@example.com' };
    const ref = await f.connector.createUser(payload);
    expect((await f.connector.findUser({ localId: 'x', accountName: payload.accountName, attributes: {} }))?.remoteId).toBe(ref.remoteId);
    expect((await f.connector.findUser({ localId: payload.localId, accountName: 'renamed@example.com', attributes: {} }))?.remoteId).toBe(
      ref.remoteId,
    );
  });

  it('always addresses the stored remote id: an update never searches', async () => {
    const f = await start({ type: 'scim2' });
    const payload = sampleUser(9);
    const ref = await f.connector.createUser(payload);
    await f.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: { title: 'CTO' } });
    await f.connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId });
    expect(f.emulator.state.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /scim/v2/Users',
      'GET /scim/v2/ServiceProviderConfig',
      `PATCH /scim/v2/Users/${ref.remoteId}`,
      `DELETE /scim/v2/Users/${ref.remoteId}`,
    ]);
  });
});

describe('SCIM 1.1 dialect', () => {
  it('removes a member with operation "delete" and keeps the others', async () => {
    const f = await start({ type: 'scim11' });
    const [a, b] = [await f.connector.createUser(sampleUser(10)), await f.connector.createUser(sampleUser(11))];
    const group = await f.connector.createGroup({ localId: 'g', group: { displayName: 'Ops' }, attributes: { displayName: 'Ops' } });
    const change = (ids: string[]) => ({ groupLocalId: 'g', groupRemoteId: group.remoteId, memberRemoteIds: ids });
    await f.connector.addMembers(change([a.remoteId, b.remoteId]));
    await f.connector.removeMembers(change([a.remoteId]));
    expect(f.emulator.state.findGroupByDisplayName('Ops')?.['members']).toEqual([expect.objectContaining({ value: b.remoteId })]);
    expect(
      f.emulator.state
        .requests()
        .filter((r) => r.path === `/scim/v1/Groups/${group.remoteId}`)
        .map((r) => `${r.method} ${r.status}`),
    ).toEqual(['PATCH 200', 'PATCH 200']);
  });

  it('replaces the email and clears attributes through meta.attributes', async () => {
    const f = await start({ type: 'scim11' });
    const payload = sampleUser(12);
    const ref = await f.connector.createUser(payload);
    await f.connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: { email: 'new12@example.com', title: null } });
    const user = userById(f.emulator, ref.remoteId);
    expect(user?.['emails']).toEqual([{ value: 'new12@example.com', type: 'work', primary: true }]);
    expect(user?.['title']).toBeUndefined();
  });

  it('uses the 1.1 ServiceProviderConfigs document in check()', async () => {
    const f = await start({ type: 'scim11', emulator: { patch: false } });
    expect(await f.connector.check()).toMatchObject({ ok: true, message: expect.stringContaining('SCIM 1.1 service at') });
    expect(f.emulator.state.requests().map((r) => r.path)).toEqual(['/scim/v1/ServiceProviderConfigs', '/scim/v1/Schemas/Users']);
  });
});
