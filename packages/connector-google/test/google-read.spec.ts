// The read side against the emulator: flat fields read back where the mapper writes them, paging, scope.
import type { GoogleEmulator } from '@provisio/emulators';
import { DOMAIN, configFor, connectorFor, generateKeyPair, startEmulator, userPayload } from './google-fixtures.js';

const keys = generateKeyPair();

describe('google read side', () => {
  let emulator: GoogleEmulator;

  beforeAll(async () => {
    emulator = await startEmulator(keys, { domains: [DOMAIN, 'other.example'] });
  });
  afterAll(() => emulator.close());

  it('reads back every flat field in the names the mapping writes', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    const payload = userPayload('readback', {
      title: 'Engineer',
      department: 'R&D',
      costCenter: 'CC-7',
      phone: '+15550100',
      mobile: '+15550101',
      externalId: 'emp-42',
      orgUnitPath: '/Sales',
    });
    const ref = await connector.createUser(payload);
    const read = await connector.getUser(ref.remoteId, { attributes: [...Object.keys(payload.attributes), 'recoveryEmail'] });
    expect(read).toEqual({ remoteId: ref.remoteId, remoteName: `readback@${DOMAIN}`, active: true, attributes: payload.attributes });
    await connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId });
    expect((await connector.getUser(ref.remoteId))?.active).toBe(false);
  });

  it('refuses a field it does not know, naming it', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    const listing = connector.listUsers({ attributes: ['primaryEmail', 'shoeSize'] })[Symbol.asyncIterator]();
    await expect(listing.next()).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('shoeSize') });
  });

  it('lists the whole customer by default and only the domain with listScope: domain', async () => {
    emulator.state.addUsers([{ primaryEmail: 'elsewhere@other.example' }, { primaryEmail: `here@${DOMAIN}` }]);
    const names = async (listScope: 'customer' | 'domain') => {
      const connector = await connectorFor({ ...configFor(emulator, keys), listScope, pageSize: 2 });
      const all: string[] = [];
      for await (const page of connector.listUsers({ attributes: ['primaryEmail'] }))
        all.push(...page.items.map((u) => u.remoteName ?? ''));
      return all;
    };
    expect(await names('customer')).toContain('elsewhere@other.example');
    const domainOnly = await names('domain');
    expect(domainOnly).toContain(`here@${DOMAIN}`);
    expect(domainOnly.every((n) => n.endsWith(`@${DOMAIN}`))).toBe(true);
  });

  it('answers null for a user or group that is gone', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    const [id] = emulator.state.addUsers([{ primaryEmail: `gone@${DOMAIN}` }]);
    emulator.state.removeUser(id);
    expect(await connector.getUser(id)).toBeNull();
    expect(await connector.getGroup('01234567890abcd')).toBeNull();
  });
});
