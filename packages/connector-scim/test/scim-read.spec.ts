// The read side against the SCIM emulator: page sizes bounded by filter.maxResults, fields mapped back.
import { collectPages } from '@provisio/connector-testkit';
import { sampleUser, scimFixture, type ScimFixture } from './scim-test-support.js';

describe.each(['scim2', 'scim11'] as const)('%s read side', (type) => {
  let fixture: ScimFixture | undefined;
  afterEach(async () => {
    await fixture?.connector.close();
    await fixture?.teardown();
    fixture = undefined;
  });

  function seed(f: ScimFixture, count: number): void {
    for (let n = 0; n < count; n++) f.emulator.state.seedUser({ userName: `seeded${n}@example.com` });
  }

  it('pages with the configured size when the service allows it', async () => {
    fixture = await scimFixture({ type, emulator: { maxResults: 5 }, config: { pageSize: 2 } });
    seed(fixture, 5);
    const pages = await collectPages(fixture.connector.listUsers());
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.totalHint)).toEqual([5, 5, 5]);
  });

  it('never asks for more than the advertised filter.maxResults', async () => {
    fixture = await scimFixture({ type, emulator: { maxResults: 3 }, config: { pageSize: 10 } });
    seed(fixture, 7);
    const pages = await collectPages(fixture.connector.listUsers());
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flatMap((p) => p.items.map((u) => u.remoteId))).size).toBe(7);
  });

  it('reads back the flat fields the mapping writes, and null for an id that is gone', async () => {
    fixture = await scimFixture({ type });
    const payload = sampleUser(9001);
    const attributes = { ...payload.attributes, department: 'R&D', employeeNumber: 'E-7' };
    const ref = await fixture.connector.createUser({ ...payload, attributes });
    const read = await fixture.connector.getUser(ref.remoteId, { attributes: Object.keys(attributes) });
    expect(read).toEqual({ remoteId: ref.remoteId, remoteName: payload.accountName, active: true, attributes });
    fixture.emulator.state.removeResource(ref.remoteId);
    expect(await fixture.connector.getUser(ref.remoteId)).toBeNull();
  });

  it('refuses a field it does not know, naming it', async () => {
    fixture = await scimFixture({ type });
    await expect(collectPages(fixture.connector.listUsers({ attributes: ['userName', 'shoeSize'] }))).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('shoeSize'),
    });
  });
});
