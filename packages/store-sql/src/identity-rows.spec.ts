import { identityRowMappers, POSTGRES_COLUMNS, SQLITE_COLUMNS, type LinkRow } from './index.js';

const link = {
  instance_id: 'sf',
  entity_type: 'user',
  local_id: 'u1',
  remote_id: '005',
  remote_name: null,
  status: 'linked',
  last_error: null,
  last_synced_at: '2026-01-01T00:00:00.000Z',
};

describe('identity rows to records, as each driver hands them back', () => {
  it('reads a link from SQLite text and 0/1 and from pg parsed values alike', () => {
    const sqlite: LinkRow = { ...link, synced_attributes: '{"email":"a@b"}', synced_members: '["g1"]', remote_active: 0 };
    const pg: LinkRow = { ...link, synced_attributes: { email: 'a@b' }, synced_members: ['g1'], remote_active: false };
    const expected = {
      instanceId: 'sf',
      entityType: 'user',
      localId: 'u1',
      remoteId: '005',
      status: 'linked',
      lastSyncedAt: '2026-01-01T00:00:00.000Z',
      syncedAttributes: { email: 'a@b' },
      syncedMembers: ['g1'],
      remoteActive: false,
    };
    expect(JSON.parse(JSON.stringify(identityRowMappers(SQLITE_COLUMNS).toLink(sqlite)))).toEqual(expected);
    expect(JSON.parse(JSON.stringify(identityRowMappers(POSTGRES_COLUMNS).toLink(pg)))).toEqual(expected);
  });

  it('leaves NULL columns absent and numbers an audit seq that pg sends as text', () => {
    const row = { seq: '42', at: 'now', actor: 'scim', action: 'create', entity_type: 'user', entity_id: 'u1', details: null };
    const record = identityRowMappers(POSTGRES_COLUMNS).toAudit(row);
    expect(record.seq).toBe(42);
    expect('details' in record && record.details !== undefined).toBe(false);
    const group = identityRowMappers(SQLITE_COLUMNS).toGroup(
      {
        id: 'g1',
        display_name: 'Sales',
        external_id: null,
        resource: '{"displayName":"Sales"}',
        version: 1,
        created_at: 'c',
        updated_at: 'u',
      },
      [{ member_id: 'u1', display: null, type: 'User' }],
    );
    expect(group.members).toEqual([{ value: 'u1', type: 'User' }]);
    expect(group.externalId).toBeUndefined();
    expect(group.resource).toEqual({ displayName: 'Sales' });
  });
});
