import { IdentityError, isStoreConflictError, parseFilter, type UserRecord } from '@provisio/core/engine';
import { PostgresStore } from '../src/index.js';
import { freshSchemasForSuite, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

const at = '2024-01-01T00:00:00.000Z';
const user = (id: string, userName: string): UserRecord => ({
  id,
  userName,
  active: true,
  version: 1,
  createdAt: at,
  updatedAt: at,
  resource: { userName, active: true, emails: [{ value: userName, primary: true }] },
});

// A commit sends the statements whose results it does not read (emails, audit) with its COMMIT: their failure is the commit's.
describeWithPostgres('PostgresStore: statements sent with the COMMIT', () => {
  const fresh = freshSchemasForSuite();
  let store: PostgresStore;
  beforeAll(async () => {
    store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: fresh(), maintenance: false });
  });
  afterAll(() => store.close());

  it('a write whose audit cannot be stored fails as a whole and keeps nothing', async () => {
    const write = store.commit({
      putUsers: [user('u-nul', 'nul@example.com')],
      expectedUserVersions: { 'u-nul': 0 },
      audit: [{ at, actor: 'test', action: 'user.create', entityType: 'user', entityId: 'u-nul', details: { note: 'a\u0000b' } }],
    });
    await expect(write).rejects.toBeInstanceOf(IdentityError);
    expect(await store.getUser('u-nul')).toBeUndefined();
    expect(await store.listAudit({ entityId: 'u-nul' })).toEqual([]);
  });

  it('a create of an id that exists is a version conflict without a look before the insert', async () => {
    await store.commit({ putUsers: [user('u-1', 'one@example.com')], expectedUserVersions: { 'u-1': 0 } });
    const again = await store
      .commit({ putUsers: [user('u-1', 'other@example.com')], expectedUserVersions: { 'u-1': 0 } })
      .catch((error: unknown) => error);
    expect(isStoreConflictError(again) && again.kind).toBe('version');
    expect((await store.getUser('u-1'))?.userName).toBe('one@example.com');
  });

  it('the statements sent with the COMMIT are kept with it', async () => {
    await store.commit({
      putUsers: [user('u-2', 'two@example.com')],
      expectedUserVersions: { 'u-2': 0 },
      audit: [{ at, actor: 'test', action: 'user.create', entityType: 'user', entityId: 'u-2' }],
    });
    const page = await store.queryUsers({ filter: parseFilter('emails.value eq "two@example.com"') });
    expect(page.records.map((u) => u.id)).toEqual(['u-2']);
    expect((await store.listAudit({ entityId: 'u-2' })).map((a) => a.action)).toEqual(['user.create']);
  });
});
