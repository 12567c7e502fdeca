import { MASK } from '@provisio/core';
import { sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture } from './scim-test-support.js';

let fixture: ScimFixture | undefined;
afterEach(() => fixture?.teardown());
const start = async (options: FixtureOptions) => (fixture = await scimFixture(options));

/** previewUser: the request createUser/updateUser would send, built by the same code, password masked. */
describe('scim previewUser', () => {
  it('previews the POST body that createUser then sends, with the password masked', async () => {
    const f = await start({ type: 'scim2', config: { defaultPassword: 'Default-Pa55!' } });
    const payload = sampleUser(1);
    const [preview, ...more] = await f.connector.previewUser({ kind: 'create', payload });
    expect(more).toEqual([]);
    expect(preview).toMatchObject({ method: 'POST', path: `${f.emulator.baseUrl2}/Users` });
    const body = preview.body as Record<string, unknown>;
    expect(body['password']).toBe(MASK);
    expect(JSON.stringify(preview)).not.toContain('Default-Pa55!');

    const ref = await f.connector.createUser(payload);
    const stored = userById(f.emulator, ref.remoteId)!;
    // Everything previewed is what the service received (it adds id, meta; it never returns the password).
    const { password: _password, ...sent } = body;
    expect(stored).toMatchObject(sent);
    expect(f.emulator.state.passwordOf('user1@example.com')).toBe('Default-Pa55!');
    expect(f.emulator.state.users()).toHaveLength(1);
  });

  it('previews an update as the PATCH of the changed fields, or nothing when nothing changed', async () => {
    const f = await start({ type: 'scim2', config: { patch: 'always' } });
    const payload = sampleUser(2);
    const ref = await f.connector.createUser(payload);
    const update = { ...payload, accountName: undefined, remoteId: ref.remoteId, changed: { title: 'CTO' } };
    const [patch] = await f.connector.previewUser({ kind: 'update', update });
    expect(patch).toMatchObject({ method: 'PATCH', path: `${f.emulator.baseUrl2}/Users/${ref.remoteId}` });
    expect(JSON.stringify(patch.body)).toContain('CTO');
    expect(userById(f.emulator, ref.remoteId)?.['title']).toBe('Engineer');
    expect(await f.connector.previewUser({ kind: 'update', update: { ...update, changed: {} } })).toEqual([]);
  });

  it('previews a PUT of the whole resource for a service without PATCH', async () => {
    const f = await start({ type: 'scim11', config: { patch: 'never' } });
    const payload = sampleUser(3);
    const [put] = await f.connector.previewUser({ kind: 'update', update: { ...payload, remoteId: 'r-3', changed: { title: 'CTO' } } });
    expect(put).toMatchObject({ method: 'PUT', path: `${f.emulator.baseUrl11}/Users/r-3`, body: { userName: 'user3@example.com' } });
  });
});
