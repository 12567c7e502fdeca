// The read side against the emulator: batches as Salesforce sends them, fields as the mapping names them.
import { collectPages } from '@provisio/connector-testkit';
import type { SalesforceEmulator } from '@provisio/emulators';
import { connectorFor, rejectionOf, startEmulator, userPayload } from './salesforce-fixture.js';

describe('salesforce read side', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.state.addUsers(
      Array.from({ length: 2050 }, (_, i) => ({ Username: `bulk${i}.${process.pid}@provisio.example`, LastName: `Bulk${i}` })),
    );
  });
  afterAll(() => emulator.close());

  it('lists in batches of 2,000 by default, with totalSize as the total hint', async () => {
    const connector = await connectorFor(emulator);
    const listed = await collectPages(connector.listUsers({ attributes: ['LastName'] }));
    const total = emulator.state.users().length;
    expect(listed.map((p) => p.items.length)).toEqual([2000, total - 2000]);
    expect(listed.every((p) => p.totalHint === total)).toBe(true);
    const bulk0 = listed[0].items.find((u) => u.remoteName?.startsWith('bulk0.'));
    expect(bulk0).toEqual({
      remoteId: expect.stringMatching(/^005/),
      remoteName: expect.any(String),
      active: true,
      attributes: { LastName: 'Bulk0' },
    });
  });

  it('reads back the fields the mapping writes, inactive users too', async () => {
    const connector = await connectorFor(emulator);
    const payload = userPayload(emulator, { Title: 'Engineer', IsActive: false });
    const ref = await connector.createUser(payload);
    const read = await connector.getUser(ref.remoteId, { attributes: ['Username', 'Title', 'IsActive', 'ProfileId', 'Department'] });
    expect(read).toEqual({
      remoteId: ref.remoteId,
      remoteName: payload.attributes['Username'],
      active: false,
      attributes: {
        Username: payload.attributes['Username'],
        Title: 'Engineer',
        IsActive: false,
        ProfileId: payload.attributes['ProfileId'],
      },
    });
  });

  it('answers null for an id that is gone', async () => {
    const connector = await connectorFor(emulator);
    const [id] = emulator.state.addUsers([{ Username: `gone.${process.pid}@provisio.example`, LastName: 'Gone' }]);
    emulator.state.removeRecord('User', id);
    expect(await connector.getUser(id)).toBeNull();
  });

  it('refuses a field name that is not a field API name, and names an unknown field', async () => {
    const connector = await connectorFor(emulator);
    const bad = await rejectionOf(connector.getUser('005000000000001AAA', { attributes: ['Id FROM User--'] }));
    expect(bad.message).toContain('not a field API name');
    expect(bad.kind).toBe('permanent');
    const unknown = await rejectionOf(collectPages(connector.listUsers({ attributes: ['NoSuchField__c'] })));
    expect(unknown.kind).toBe('permanent');
    expect(unknown.message).toContain('NoSuchField__c');
  });

  it('fails the listing permanently with INVALID_QUERY_LOCATOR when the cursor expired between batches', async () => {
    const connector = await connectorFor(emulator, { queryBatchSize: 1000 });
    const listing = connector.listUsers()[Symbol.asyncIterator]();
    expect((await listing.next()).value?.items).toHaveLength(1000);
    emulator.state.expireQueryLocators();
    const error = await rejectionOf(listing.next());
    expect(error.kind).toBe('permanent');
    expect(error.remoteCode).toBe('INVALID_QUERY_LOCATOR');
  });
});
