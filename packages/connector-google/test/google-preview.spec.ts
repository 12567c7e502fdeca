import { MASK } from '@provisio/core';
import { DOMAIN, useConnectorTestBed, userPayload } from './google-fixtures.js';

/** previewUser: the users.insert / users.patch bodies the connector sends, from the same mapper, password masked. */
describe('google previewUser', () => {
  const bed = useConnectorTestBed();
  it('previews the users.insert body createUser then sends, and each alias, without the password', async () => {
    const payload = userPayload('preview', { title: 'Engineer', aliases: ['pv@' + DOMAIN] }, { password: 'Preview-Pa55word' });
    const [insert, alias, ...more] = await bed.connector.previewUser({ kind: 'create', payload });
    expect(more).toEqual([]);
    expect(insert).toMatchObject({
      operation: 'users.insert',
      method: 'POST',
      path: '/admin/directory/v1/users',
      body: { primaryEmail: `preview@${DOMAIN}`, password: MASK, organizations: [expect.objectContaining({ title: 'Engineer' })] },
    });
    expect(alias).toMatchObject({ operation: 'users.aliases.insert', body: { alias: `pv@${DOMAIN}` } });
    expect(JSON.stringify(insert)).not.toContain('Preview-Pa55word');

    const ref = await bed.connector.createUser(payload);
    const { password: _password, ...sent } = insert.body as Record<string, unknown>;
    expect(bed.emulator.state.user(ref.remoteId)).toMatchObject(sent);
  });

  it('previews an update as the users.patch of what changed', async () => {
    // attributes: the user as mapped now; changed: what differs from the last sync.
    const payload = userPayload('patchme', { title: 'CTO' });
    const [patch] = await bed.connector.previewUser({ kind: 'update', update: { ...payload, remoteId: '123', changed: { title: 'CTO' } } });
    expect(patch).toMatchObject({
      operation: 'users.patch',
      method: 'PATCH',
      path: '/admin/directory/v1/users/123',
      body: { organizations: [expect.objectContaining({ title: 'CTO' })] },
    });
    expect(JSON.stringify(patch.body)).not.toContain('password');
  });
});
