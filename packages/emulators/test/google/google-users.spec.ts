// users.* through the real @googleapis/admin client: CRUD, Google's validation errors, list query
// and paging, aliases, and the password-change record.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { GoogleEmulator } from '../../src/google/index.js';
import {
  captureError,
  directoryFor,
  googleErrorBody,
  jwtClientFor,
  startGoogleTestBed,
  validUser,
  type GoogleTestBed,
} from './google-test-clients.js';

describe('Google emulator: users', () => {
  let emulator: GoogleEmulator;
  let directory: admin_directory_v1.Admin;
  let keys: GoogleTestBed['keys'];

  beforeAll(async () => {
    ({ emulator, directory, keys } = await startGoogleTestBed({ domains: ['example.com', 'example.org'], orgUnits: ['/Sales'] }));
  });

  afterAll(async () => {
    await emulator.close();
  });

  it("inserts a user and returns Google's resource without the password", async () => {
    const res = await directory.users.insert({
      requestBody: validUser('Grace.Hopper@Example.com', {
        name: { givenName: 'Grace', familyName: 'Hopper' },
        externalIds: [{ value: 'emp-1001', type: 'organization' }],
        orgUnitPath: '/Sales',
        changePasswordAtNextLogin: true,
      }),
    });
    const user = res.data;
    expect(res.status).toBe(200);
    expect(user.kind).toBe('admin#directory#user');
    expect(user.id).toMatch(/^1\d{20}$/);
    expect(user.etag).toMatch(/^".+\/.+"$/);
    expect(user.primaryEmail).toBe('grace.hopper@example.com');
    expect(user.name).toEqual({ givenName: 'Grace', familyName: 'Hopper', fullName: 'Grace Hopper' });
    expect(user.orgUnitPath).toBe('/Sales');
    expect(user.changePasswordAtNextLogin).toBe(true);
    expect(user.customerId).toBe(emulator.customerId);
    expect(user).not.toHaveProperty('password');
    expect(JSON.stringify(emulator.state.snapshot())).not.toContain('correct-horse-9');
    expect(emulator.state.verifyPassword('grace.hopper@example.com', 'correct-horse-9')).toBe(true);
  });

  it('gets a user by primary email, by id and by alias', async () => {
    const created = (await directory.users.insert({ requestBody: validUser('alan@example.com') })).data;
    await directory.users.aliases.insert({ userKey: created.id!, requestBody: { alias: 'turing@example.com' } });
    for (const key of ['alan@example.com', created.id!, 'turing@example.com', 'ALAN@example.com']) {
      expect((await directory.users.get({ userKey: key })).data.id).toBe(created.id);
    }
    const aliases = (await directory.users.aliases.list({ userKey: 'alan@example.com' })).data;
    expect(aliases.aliases).toEqual([expect.objectContaining({ alias: 'turing@example.com', primaryEmail: 'alan@example.com' })]);
    await directory.users.aliases.delete({ userKey: 'alan@example.com', alias: 'turing@example.com' });
    expect((await captureError(() => directory.users.get({ userKey: 'turing@example.com' }))).status).toBe(404);
  });

  it('answers 404 notFound "Resource Not Found: userKey" for an unknown user', async () => {
    const error = await captureError(() => directory.users.get({ userKey: 'nobody@example.com' }));
    expect(error.status).toBe(404);
    expect(error.body).toEqual(googleErrorBody(404, 'NOT_FOUND', 'notFound', 'Resource Not Found: userKey'));
  });

  it('answers 409 duplicate for an existing address (user, alias or group)', async () => {
    await directory.users.insert({ requestBody: validUser('dup@example.com') });
    const error = await captureError(() => directory.users.insert({ requestBody: validUser('DUP@example.com') }));
    expect(error.status).toBe(409);
    expect(error.body).toEqual(googleErrorBody(409, 'ALREADY_EXISTS', 'duplicate', 'Entity already exists.'));
  });

  it.each([
    ['missing primaryEmail', { primaryEmail: undefined }, 'Invalid Input: primary_user_email'],
    ["email outside the customer's domains", { primaryEmail: 'x@elsewhere.com' }, 'Invalid Input: primary_user_email'],
    ['malformed email', { primaryEmail: 'not-an-email' }, 'Invalid Input: primary_user_email'],
    ['a character Workspace usernames do not allow', { primaryEmail: 'ada+test@example.com' }, 'Invalid Input: primary_user_email'],
    ['missing givenName', { name: { familyName: 'Lovelace' } }, 'Invalid Given/Family Name: GivenName'],
    ['missing familyName', { name: { givenName: 'Ada' } }, 'Invalid Given/Family Name: FamilyName'],
    ['givenName over 60 characters', { name: { givenName: 'A'.repeat(61), familyName: 'L' } }, 'Invalid Given/Family Name: GivenName'],
    ['missing password', { password: undefined }, 'Invalid Password'],
    ['password shorter than 8', { password: 'short' }, 'Invalid Password'],
    ['password longer than 100', { password: 'p'.repeat(101) }, 'Invalid Password'],
    ['non-ASCII password', { password: 'pässwörter' }, 'Invalid Password'],
    ['unknown org unit', { orgUnitPath: '/Nowhere' }, 'Invalid Input: INVALID_OU_ID'],
  ])('rejects an insert with %s as 400 invalid', async (_label, override, message) => {
    const body: Record<string, unknown> = { ...validUser(`v${Math.random().toString(36).slice(2)}@example.com`), ...override };
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    const error = await captureError(() => directory.users.insert({ requestBody: body }));
    expect(error.status).toBe(400);
    expect(error.reason).toBe('invalid');
    expect(error.message).toBe(message);
    expect((error.body as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
  });

  it("rejects unknown fields and wrong types like Google's front end", async () => {
    const unknown = await captureError(() =>
      directory.users.insert({ requestBody: { ...validUser('f1@example.com'), nickname: 'x' } as admin_directory_v1.Schema$User }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain('Unknown name "nickname"');
    const wrongType = await captureError(() =>
      directory.users.insert({
        requestBody: { ...validUser('f2@example.com'), suspended: 'yes' } as unknown as admin_directory_v1.Schema$User,
      }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.message).toContain("Invalid value at 'suspended' (TYPE_BOOL)");
  });

  it('patches and updates with patch semantics, and records only real password changes', async () => {
    const created = (await directory.users.insert({ requestBody: validUser('kate@example.com') })).data;
    expect(emulator.state.passwordChanges('kate@example.com')).toHaveLength(1);

    const patched = (
      await directory.users.patch({ userKey: created.id!, requestBody: { name: { familyName: 'Johnson' }, suspended: true } })
    ).data;
    expect(patched.name).toEqual({ givenName: 'Ada', familyName: 'Johnson', fullName: 'Ada Johnson' });
    expect(patched.suspended).toBe(true);
    expect(patched.etag).not.toBe(created.etag);

    const updated = (
      await directory.users.update({
        userKey: 'kate@example.com',
        requestBody: { suspended: false, phones: [{ value: '+1 555 0100', type: 'work' }] },
      })
    ).data;
    expect(updated.suspended).toBe(false);
    expect(updated.name?.familyName).toBe('Johnson');
    // Neither call sent a password: the stored one is untouched and no change was recorded.
    expect(emulator.state.passwordChanges('kate@example.com')).toHaveLength(1);
    expect(emulator.state.verifyPassword('kate@example.com', 'correct-horse-9')).toBe(true);

    await directory.users.update({ userKey: 'kate@example.com', requestBody: { password: 'another-secret-1' } });
    const changes = emulator.state.passwordChanges('kate@example.com');
    expect(changes.map((c) => c.via)).toEqual(['insert', 'update']);
    expect(changes[1].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(emulator.state.verifyPassword('kate@example.com', 'another-secret-1')).toBe(true);

    const badPatch = await captureError(() => directory.users.patch({ userKey: 'kate@example.com', requestBody: { password: 'short' } }));
    expect(badPatch.message).toBe('Invalid Password');
  });

  it('renames a user and keeps the old address as an alias', async () => {
    await directory.users.insert({ requestBody: validUser('old.name@example.com') });
    const renamed = (
      await directory.users.patch({ userKey: 'old.name@example.com', requestBody: { primaryEmail: 'new.name@example.com' } })
    ).data;
    expect(renamed.primaryEmail).toBe('new.name@example.com');
    expect(renamed.aliases).toEqual(['old.name@example.com']);
  });

  it('deletes a user with 204', async () => {
    await directory.users.insert({ requestBody: validUser('temp@example.com') });
    const res = await directory.users.delete({ userKey: 'temp@example.com' });
    expect(res.status).toBe(204);
    expect((await captureError(() => directory.users.delete({ userKey: 'temp@example.com' }))).status).toBe(404);
  });

  describe('list', () => {
    beforeAll(async () => {
      for (let i = 0; i < 7; i++) {
        await directory.users.insert({
          requestBody: validUser(`lister${i}@example.org`, {
            name: { givenName: i % 2 === 0 ? 'Even' : 'Odd', familyName: `Lister${i}` },
            externalIds: [{ value: `ext-${i}`, type: 'organization' }],
          }),
        });
      }
    });

    it('requires customer or domain', async () => {
      const error = await captureError(() => directory.users.list({}));
      expect(error.status).toBe(400);
      expect(error.reason).toBe('badRequest');
    });

    it('filters with email:, email=, quoted values, externalId and prefix*', async () => {
      const emails = async (query: string) =>
        ((await directory.users.list({ customer: 'my_customer', query })).data.users ?? []).map((u) => u.primaryEmail);
      expect(await emails('email:lister3@example.org')).toEqual(['lister3@example.org']);
      expect(await emails("email='lister4@example.org'")).toEqual(['lister4@example.org']);
      expect(await emails('externalId:ext-5')).toEqual(['lister5@example.org']);
      expect(await emails('givenName:Odd familyName:Lister1')).toEqual(['lister1@example.org']);
      expect(await emails('familyName:Lister*')).toHaveLength(7);
      expect(await emails('email:nobody@example.org')).toEqual([]);
    });

    it('pages with maxResults and nextPageToken, in orderBy order', async () => {
      const seen: string[] = [];
      let pageToken: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const res = await directory.users.list({
          domain: 'example.org',
          maxResults: 3,
          orderBy: 'familyName',
          sortOrder: 'DESCENDING',
          pageToken,
        });
        expect(res.data.kind).toBe('admin#directory#users');
        seen.push(...(res.data.users ?? []).map((u) => u.name!.familyName!));
        pageToken = res.data.nextPageToken ?? undefined;
        if (!pageToken) break;
      }
      expect(seen).toEqual(['Lister6', 'Lister5', 'Lister4', 'Lister3', 'Lister2', 'Lister1', 'Lister0']);
    });

    it('rejects maxResults above 500 and a page token from another listing', async () => {
      const range = await captureError(() => directory.users.list({ customer: 'my_customer', maxResults: 501 }));
      expect(range.status).toBe(400);
      expect(range.message).toBe("Invalid value '501'. Values must be within the range: [1, 500]");
      const first = await directory.users.list({ domain: 'example.org', maxResults: 2 });
      const reused = await captureError(() =>
        directory.users.list({ customer: 'my_customer', maxResults: 2, pageToken: first.data.nextPageToken! }),
      );
      expect(reused.status).toBe(400);
    });

    it('refuses another customer or a foreign domain', async () => {
      expect((await captureError(() => directory.users.list({ customer: 'C0other' }))).reason).toBe('forbidden');
      expect((await captureError(() => directory.users.list({ domain: 'elsewhere.com' }))).status).toBe(403);
    });
  });

  it('serves customers.get and domains.list for a connection check', async () => {
    const scopes = [
      'https://www.googleapis.com/auth/admin.directory.customer.readonly',
      'https://www.googleapis.com/auth/admin.directory.domain.readonly',
    ];
    const checker = directoryFor(emulator, jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, scopes }));
    const customer = (await checker.customers.get({ customerKey: 'my_customer' })).data;
    expect(customer).toMatchObject({ kind: 'admin#directory#customer', id: emulator.customerId, customerDomain: 'example.com' });
    const domains = (await checker.domains.list({ customer: 'my_customer' })).data.domains ?? [];
    expect(domains.map((d) => [d.domainName, d.isPrimary])).toEqual([
      ['example.com', true],
      ['example.org', false],
    ]);
  });
});
