import { startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call, ENTERPRISE, expectScimError, group, patch, user } from './scim-http.js';

describe('SCIM 2.0 PATCH (RFC 7644 §3.5.2)', () => {
  let emu: ScimEmulator;

  const createUser = async (userName: string, extra: JsonObject = {}): Promise<string> => {
    const res = await call('POST', `${emu.baseUrl2}/Users`, user(userName, extra));
    expect(res.status).toBe(201);
    return `${emu.baseUrl2}/Users/${String(res.body['id'])}`;
  };
  const createGroup = async (displayName: string, members: string[] = []): Promise<string> => {
    const res = await call(
      'POST',
      `${emu.baseUrl2}/Groups`,
      group(displayName, members.length ? { members: members.map((value) => ({ value })) } : {}),
    );
    expect(res.status).toBe(201);
    return `${emu.baseUrl2}/Groups/${String(res.body['id'])}`;
  };
  const idOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

  beforeAll(async () => {
    emu = await startScimEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.state.reset());

  describe('Okta shapes', () => {
    it('deactivates with a path-less replace', async () => {
      const url = await createUser('okta1', { active: true });
      const res = await call('PATCH', url, patch({ op: 'replace', value: { active: false } }));
      expect(res.status).toBe(200);
      expect(res.body['active']).toBe(false);
    });

    it('accepts an echoed group id in a path-less replace but refuses to change it', async () => {
      const url = await createGroup('okta-group');
      const ok = await call('PATCH', url, patch({ op: 'replace', value: { id: idOf(url), displayName: 'renamed' } }));
      expect(ok.status).toBe(200);
      expect(ok.body['displayName']).toBe('renamed');
      expectScimError(await call('PATCH', url, patch({ op: 'replace', value: { id: 'another-id' } })), 400, 'mutability');
    });

    it('removes a member by value filter', async () => {
      const [a, b] = [await createUser('m1'), await createUser('m2')];
      const url = await createGroup('g', [idOf(a), idOf(b)]);
      const res = await call('PATCH', url, patch({ op: 'remove', path: `members[value eq "${idOf(a)}"]` }));
      expect((res.body['members'] as JsonObject[]).map((m) => m['value'])).toEqual([idOf(b)]);
    });
  });

  describe('Entra ID shapes', () => {
    it('accepts capitalised op names but rejects the string "False" for a boolean (RFC 7643 §2.3.2)', async () => {
      const url = await createUser('entra1', { active: true });
      expectScimError(await call('PATCH', url, patch({ op: 'Replace', path: 'active', value: 'False' })), 400, 'invalidValue');
      const ok = await call('PATCH', url, patch({ op: 'Replace', path: 'active', value: false }));
      expect(ok.body['active']).toBe(false);
    });

    it('adds members with {"op":"Add","path":"members","value":[...]}', async () => {
      const [a, b] = [await createUser('e1'), await createUser('e2')];
      const url = await createGroup('entra-group', [idOf(a)]);
      const res = await call('PATCH', url, patch({ op: 'Add', path: 'members', value: [{ value: idOf(b) }, { value: idOf(a) }] }));
      expect(res.status).toBe(200);
      expect((res.body['members'] as JsonObject[]).map((m) => m['value'])).toEqual([idOf(a), idOf(b)]);
      expect((res.body['members'] as JsonObject[])[1]).toMatchObject({ type: 'User', display: 'e2', $ref: b });
      const u = await call('GET', b);
      expect(u.body['groups']).toEqual([{ value: idOf(url), $ref: url, display: 'entra-group', type: 'direct' }]);
    });

    it('removes members given as a value list on the "members" path', async () => {
      const [a, b] = [await createUser('r1'), await createUser('r2')];
      const url = await createGroup('rm', [idOf(a), idOf(b)]);
      const res = await call('PATCH', url, patch({ op: 'Remove', path: 'members', value: [{ value: idOf(a) }] }));
      expect((res.body['members'] as JsonObject[]).map((m) => m['value'])).toEqual([idOf(b)]);
    });

    it('sets emails[type eq "work"].value, creating the work email when absent', async () => {
      const url = await createUser('entra-mail');
      const added = await call('PATCH', url, patch({ op: 'add', path: 'emails[type eq "work"].value', value: 'w@example.com' }));
      expect(added.body['emails']).toEqual([{ type: 'work', value: 'w@example.com' }]);
      const replaced = await call('PATCH', url, patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'w2@example.com' }));
      expect(replaced.body['emails']).toEqual([{ type: 'work', value: 'w2@example.com' }]);
    });

    it('patches an enterprise attribute by its fully qualified path', async () => {
      const url = await createUser('entra-ext');
      const res = await call('PATCH', url, patch({ op: 'Add', path: `${ENTERPRISE}:department`, value: 'Finance' }));
      expect(res.body[ENTERPRISE]).toEqual({ department: 'Finance' });
      expect(res.body['schemas']).toContain(ENTERPRISE);
      const removed = await call('PATCH', url, patch({ op: 'remove', path: `${ENTERPRISE}:department` }));
      expect(removed.body[ENTERPRISE]).toBeUndefined();
    });
  });

  describe('RFC semantics', () => {
    it('add/replace without path merges complex attributes and appends multi-valued ones', async () => {
      const url = await createUser('merge', { name: { givenName: 'A', familyName: 'B' }, emails: [{ value: 'a@x.org', type: 'home' }] });
      const res = await call(
        'PATCH',
        url,
        patch(
          {
            op: 'add',
            value: { name: { middleName: 'M' }, emails: [{ value: 'b@x.org', type: 'work' }], [ENTERPRISE]: { costCenter: 'CC1' } },
          },
          { op: 'replace', value: { name: { givenName: 'Z' } } },
        ),
      );
      expect(res.body['name']).toEqual({ givenName: 'Z', familyName: 'B', middleName: 'M' });
      expect(res.body['emails']).toEqual([
        { value: 'a@x.org', type: 'home' },
        { value: 'b@x.org', type: 'work' },
      ]);
      expect(res.body[ENTERPRISE]).toEqual({ costCenter: 'CC1' });
    });

    it('replace on a multi-valued path replaces all values; sub-attribute paths set one field', async () => {
      const url = await createUser('repl', { emails: [{ value: 'a@x.org' }, { value: 'b@x.org' }] });
      const res = await call(
        'PATCH',
        url,
        patch(
          { op: 'replace', path: 'emails', value: [{ value: 'c@x.org', type: 'work' }] },
          { op: 'add', path: 'name.familyName', value: 'Fam' },
        ),
      );
      expect(res.body['emails']).toEqual([{ value: 'c@x.org', type: 'work' }]);
      expect(res.body['name']).toEqual({ familyName: 'Fam' });
    });

    it('setting primary on one value clears it on the others', async () => {
      const url = await createUser('prim', {
        emails: [
          { value: 'a@x.org', type: 'home', primary: true },
          { value: 'b@x.org', type: 'work' },
        ],
      });
      const res = await call('PATCH', url, patch({ op: 'replace', path: 'emails[type eq "work"].primary', value: true }));
      expect(res.body['emails']).toEqual([
        { value: 'a@x.org', type: 'home', primary: false },
        { value: 'b@x.org', type: 'work', primary: true },
      ]);
    });

    it('replace with an unmatched value filter is 400 noTarget; remove without path is noTarget', async () => {
      const url = await createUser('nt');
      expectScimError(
        await call('PATCH', url, patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' })),
        400,
        'noTarget',
      );
      expectScimError(await call('PATCH', url, patch({ op: 'remove' })), 400, 'noTarget');
    });

    it('rejects malformed requests: bad path, bad op, missing schemas, readOnly targets', async () => {
      const url = await createUser('bad', { title: 'T' });
      expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'nosuch', value: 'x' })), 400, 'invalidPath');
      expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'emails[type eq ', value: 'x' })), 400, 'invalidPath');
      expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'title[value eq "x"]', value: 'x' })), 400, 'invalidPath');
      expectScimError(await call('PATCH', url, patch({ op: 'move', path: 'title', value: 'x' })), 400, 'invalidSyntax');
      expectScimError(await call('PATCH', url, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
      expectScimError(await call('PATCH', url, patch()), 400, 'invalidSyntax');
      expectScimError(
        await call('PATCH', url, patch({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' })),
        400,
        'mutability',
      );
      expectScimError(await call('PATCH', url, patch({ op: 'remove', path: 'id' })), 400, 'mutability');
      expectScimError(await call('PATCH', url, patch({ op: 'add', path: 'groups', value: [{ value: 'x' }] })), 400, 'mutability');
      expectScimError(await call('PATCH', url, patch({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
      expectScimError(await call('PATCH', url, patch({ op: 'replace', value: { 'name.givenName': 'dotted' } })), 400, 'invalidSyntax');
    });

    it('is atomic: a failing later operation leaves the resource and its version untouched', async () => {
      const url = await createUser('atomic', { title: 'before' });
      const before = await call('GET', url);
      expectScimError(
        await call('PATCH', url, patch({ op: 'replace', path: 'title', value: 'after' }, { op: 'replace', path: 'active', value: 'yes' })),
        400,
        'invalidValue',
      );
      const after = await call('GET', url);
      expect(after.body['title']).toBe('before');
      expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    });

    it('enforces If-Match on PATCH and uniqueness after PATCH', async () => {
      await createUser('taken');
      const url = await createUser('patchme');
      expectScimError(
        await call('PATCH', url, patch({ op: 'replace', path: 'title', value: 'x' }), { headers: { 'If-Match': 'W/"old"' } }),
        412,
      );
      expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'userName', value: 'TAKEN' })), 409, 'uniqueness');
    });

    it('refuses members that do not exist and members[...].value changes (immutable)', async () => {
      const a = await createUser('mem');
      const url = await createGroup('imm', [idOf(a)]);
      expectScimError(await call('PATCH', url, patch({ op: 'add', path: 'members', value: [{ value: 'ghost' }] })), 400, 'invalidValue');
      expectScimError(
        await call('PATCH', url, patch({ op: 'replace', path: `members[value eq "${idOf(a)}"].value`, value: 'other' })),
        400,
        'mutability',
      );
    });

    it('removes a sub-attribute of the matched values only', async () => {
      const url = await createUser('subrm', {
        phoneNumbers: [
          { value: '1', type: 'work', display: 'W' },
          { value: '2', type: 'home', display: 'H' },
        ],
      });
      const res = await call('PATCH', url, patch({ op: 'remove', path: 'phoneNumbers[type eq "work"].display' }));
      expect(res.body['phoneNumbers']).toEqual([
        { value: '1', type: 'work' },
        { value: '2', type: 'home', display: 'H' },
      ]);
    });
  });
});
