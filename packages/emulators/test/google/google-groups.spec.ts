// groups.* and members.* through the real @googleapis/admin client.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { GoogleEmulator } from '../../src/google/index.js';
import { captureError, googleErrorBody, startGoogleTestBed, validUser } from './google-test-clients.js';

describe('Google emulator: groups and members', () => {
  let emulator: GoogleEmulator;
  let directory: admin_directory_v1.Admin;

  beforeAll(async () => {
    ({ emulator, directory } = await startGoogleTestBed());
    await directory.users.insert({ requestBody: validUser('ann@example.com') });
    await directory.users.insert({ requestBody: validUser('bob@example.com') });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('inserts, gets, patches and lists groups', async () => {
    const created = (
      await directory.groups.insert({ requestBody: { email: 'Sales@example.com', name: 'Sales', description: 'Sales team' } })
    ).data;
    expect(created).toMatchObject({
      kind: 'admin#directory#group',
      email: 'sales@example.com',
      name: 'Sales',
      directMembersCount: '0',
      adminCreated: true,
    });
    expect(created.id).toMatch(/^0[0-9a-z]{14}$/);

    expect((await directory.groups.get({ groupKey: created.id! })).data.email).toBe('sales@example.com');
    const patched = (await directory.groups.patch({ groupKey: 'sales@example.com', requestBody: { description: 'All of sales' } })).data;
    expect(patched).toMatchObject({ name: 'Sales', description: 'All of sales' });

    await directory.groups.insert({ requestBody: { email: 'support@example.com' } });
    const listed = (await directory.groups.list({ customer: 'my_customer' })).data;
    expect(listed.kind).toBe('admin#directory#groups');
    expect(listed.groups?.map((g) => g.email)).toEqual(['sales@example.com', 'support@example.com']);
    const filtered = (await directory.groups.list({ customer: 'my_customer', query: 'email:sup*' })).data;
    expect(filtered.groups?.map((g) => g.email)).toEqual(['support@example.com']);
  });

  it('answers 409 for a group address already used by a group or a user, and 404 for an unknown group', async () => {
    await directory.groups.insert({ requestBody: { email: 'dup-group@example.com' } });
    const again = await captureError(() => directory.groups.insert({ requestBody: { email: 'dup-group@example.com' } }));
    expect(again.status).toBe(409);
    expect(again.reason).toBe('duplicate');
    const userAddress = await captureError(() => directory.groups.insert({ requestBody: { email: 'ann@example.com' } }));
    expect(userAddress.status).toBe(409);
    const userOverGroup = await captureError(() => directory.users.insert({ requestBody: validUser('dup-group@example.com') }));
    expect(userOverGroup.message).toBe('Entity already exists.');

    const missing = await captureError(() => directory.groups.get({ groupKey: 'nope@example.com' }));
    expect(missing.status).toBe(404);
    expect(missing.message).toBe('Resource Not Found: groupKey');
  });

  it('validates the group email', async () => {
    expect((await captureError(() => directory.groups.insert({ requestBody: { name: 'No address' } }))).status).toBe(400);
    expect((await captureError(() => directory.groups.insert({ requestBody: { email: 'x@elsewhere.com' } }))).reason).toBe('invalid');
  });

  it('adds, gets, lists, checks and removes members; a second add answers 409 "Member already exists."', async () => {
    const group = (await directory.groups.insert({ requestBody: { email: 'eng@example.com' } })).data;
    const ann = (await directory.users.get({ userKey: 'ann@example.com' })).data;

    const member = (await directory.members.insert({ groupKey: group.id!, requestBody: { email: 'ann@example.com', role: 'OWNER' } })).data;
    expect(member).toMatchObject({
      kind: 'admin#directory#member',
      id: ann.id,
      email: 'ann@example.com',
      role: 'OWNER',
      type: 'USER',
      status: 'ACTIVE',
    });
    await directory.members.insert({ groupKey: 'eng@example.com', requestBody: { email: 'bob@example.com' } });

    const duplicate = await captureError(() =>
      directory.members.insert({ groupKey: 'eng@example.com', requestBody: { email: 'ANN@example.com' } }),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual(googleErrorBody(409, 'ALREADY_EXISTS', 'duplicate', 'Member already exists.'));

    expect((await directory.members.get({ groupKey: 'eng@example.com', memberKey: ann.id! })).data.role).toBe('OWNER');
    const list = (await directory.members.list({ groupKey: 'eng@example.com' })).data;
    expect(list.kind).toBe('admin#directory#members');
    expect(list.members?.map((m) => m.email)).toEqual(['ann@example.com', 'bob@example.com']);
    expect((await directory.members.list({ groupKey: 'eng@example.com', roles: 'OWNER' })).data.members).toHaveLength(1);
    expect((await directory.members.hasMember({ groupKey: 'eng@example.com', memberKey: 'bob@example.com' })).data.isMember).toBe(true);
    expect((await directory.groups.get({ groupKey: 'eng@example.com' })).data.directMembersCount).toBe('2');

    const deleted = await directory.members.delete({ groupKey: 'eng@example.com', memberKey: 'bob@example.com' });
    expect(deleted.status).toBe(204);
    expect((await directory.members.hasMember({ groupKey: 'eng@example.com', memberKey: 'bob@example.com' })).data.isMember).toBe(false);
    const gone = await captureError(() => directory.members.get({ groupKey: 'eng@example.com', memberKey: 'bob@example.com' }));
    expect(gone.message).toBe('Resource Not Found: memberKey');
    expect(emulator.state.members('eng@example.com').map((m) => m['email'])).toEqual(['ann@example.com']);
  });

  it("answers 404 memberKey for an unknown address in the customer's domain and accepts an external one", async () => {
    await directory.groups.insert({ requestBody: { email: 'mixed@example.com' } });
    const unknown = await captureError(() =>
      directory.members.insert({ groupKey: 'mixed@example.com', requestBody: { email: 'ghost@example.com' } }),
    );
    expect(unknown.status).toBe(404);
    const external = (await directory.members.insert({ groupKey: 'mixed@example.com', requestBody: { email: 'partner@other.org' } })).data;
    expect(external).toMatchObject({ email: 'partner@other.org', type: 'USER', role: 'MEMBER' });
  });

  it('nests groups, answers hasMember through them, and drops memberships when a user is deleted', async () => {
    await directory.groups.insert({ requestBody: { email: 'outer@example.com' } });
    await directory.groups.insert({ requestBody: { email: 'inner@example.com' } });
    const nested = (await directory.members.insert({ groupKey: 'outer@example.com', requestBody: { email: 'inner@example.com' } })).data;
    expect(nested.type).toBe('GROUP');
    await directory.users.insert({ requestBody: validUser('carol@example.com') });
    await directory.members.insert({ groupKey: 'inner@example.com', requestBody: { email: 'carol@example.com' } });
    expect((await directory.members.hasMember({ groupKey: 'outer@example.com', memberKey: 'carol@example.com' })).data.isMember).toBe(true);

    await directory.users.delete({ userKey: 'carol@example.com' });
    expect(emulator.state.members('inner@example.com')).toEqual([]);
    await directory.groups.delete({ groupKey: 'inner@example.com' });
    expect(emulator.state.members('outer@example.com')).toEqual([]);
  });
});
