import assert from 'node:assert/strict';
import { parseFilter } from '../scim-filter/filter-parser.js';
import { readAttrPath } from '../scim-filter/attribute-path.js';
import type { AttrPath } from '../scim-filter/filter-ast.js';
import type { GroupRecord, UserRecord } from './records.js';
import type { IdentityQuery, Store } from './store-ports.js';

/** Store contract cases for queryUsers/queryGroups: every operator, logic, value paths, sort and paging. */

const day = (n: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + n * 86_400_000).toISOString();
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function user(id: string, userName: string, n: number, resource: Record<string, unknown>, externalId?: string): UserRecord {
  const active = resource.active !== false;
  return {
    id,
    userName,
    externalId,
    active,
    resource: { ...resource, userName, active, ...(externalId ? { externalId } : {}) },
    version: 1,
    createdAt: day(0),
    updatedAt: day(n),
  };
}

function group(id: string, displayName: string, members: string[]): GroupRecord {
  return {
    id,
    displayName,
    resource: { displayName },
    members: members.map((value) => ({ value, type: 'User' as const })),
    version: 1,
    createdAt: day(0),
    updatedAt: day(0),
  };
}

export const QUERY_FIXTURE_USERS: readonly UserRecord[] = [
  user(
    'u1',
    'Ada@Example.com',
    1,
    {
      displayName: 'Ada Lovelace',
      title: 'Engineer',
      name: { familyName: 'Lovelace' },
      emails: [
        { value: 'ada@work.com', type: 'work', primary: true },
        { value: 'ada@home.org', type: 'home' },
      ],
      [ENTERPRISE]: { department: 'R&D' },
    },
    'ext-1',
  ),
  user('u2', 'bob', 2, { displayName: 'Bob', active: false, emails: [{ value: 'bob@work.com', type: 'work' }] }, 'ext-2'),
  user('u3', 'carol', 3, { emails: [{ value: 'carol@home.org', type: 'home', primary: true }] }),
  user('u4', 'dave', 4, { displayName: 'dave' }, 'EXT-1'),
  user('u5', 'eve', 5, { displayName: 'Eve', emails: [{ value: 'EVE@Work.com', type: 'Work' }] }),
];

const path = (text: string): AttrPath => {
  const parsed = readAttrPath(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

export const USER_FILTER_EXPECTATIONS: readonly [string, string[]][] = [
  ['userName eq "ada@example.com"', ['u1']],
  ['userName ne "bob"', ['u1', 'u3', 'u4', 'u5']],
  ['userName co "a"', ['u1', 'u3', 'u4']],
  ['userName sw "CA"', ['u3']],
  ['userName ew "e"', ['u4', 'u5']],
  ['userName gt "carol"', ['u4', 'u5']],
  ['userName ge "carol"', ['u3', 'u4', 'u5']],
  ['userName lt "bob"', ['u1']],
  ['userName le "bob"', ['u1', 'u2']],
  ['userName pr', ['u1', 'u2', 'u3', 'u4', 'u5']],
  ['externalId eq "ext-1"', ['u1']],
  ['externalId pr', ['u1', 'u2', 'u4']],
  ['not (externalId pr)', ['u3', 'u5']],
  ['id eq "u3"', ['u3']],
  ['id ne "u3"', ['u1', 'u2', 'u4', 'u5']],
  ['displayName eq "bob"', ['u2']],
  ['displayName pr', ['u1', 'u2', 'u4', 'u5']],
  ['displayName sw "ada"', ['u1']],
  ['active eq true', ['u1', 'u3', 'u4', 'u5']],
  ['active eq false', ['u2']],
  ['active ne true', ['u2']],
  [`meta.lastModified gt "${day(2)}"`, ['u3', 'u4', 'u5']],
  [`meta.lastModified ge "${day(2)}"`, ['u2', 'u3', 'u4', 'u5']],
  [`meta.lastModified lt "${day(2)}"`, ['u1']],
  [`meta.lastModified le "${day(2)}"`, ['u1', 'u2']],
  [`meta.created eq "${day(0)}"`, ['u1', 'u2', 'u3', 'u4', 'u5']],
  ['emails.value eq "eve@work.com"', ['u5']],
  ['emails eq "bob@work.com"', ['u2']],
  ['emails.value co "home"', ['u1', 'u3']],
  ['emails.value sw "CAROL"', ['u3']],
  ['emails.value ew ".org"', ['u1', 'u3']],
  ['emails.value ne "bob@work.com"', ['u1', 'u3', 'u4', 'u5']],
  ['emails.value gt "c"', ['u3', 'u5']],
  ['emails.type eq "work"', ['u1', 'u2', 'u5']],
  ['emails.primary eq true', ['u1', 'u3']],
  ['emails pr', ['u1', 'u2', 'u3', 'u5']],
  ['emails[type eq "work" and value co "ada"]', ['u1']],
  ['emails[type eq "home" and primary eq true]', ['u3']],
  ['emails[not (type eq "work")]', ['u1', 'u3']],
  ['emails[value ew "work.com" or type eq "home"]', ['u1', 'u2', 'u3', 'u5']],
  ['name.familyName eq "lovelace"', ['u1']],
  [`${ENTERPRISE}:department eq "R&D"`, ['u1']],
  ['userName sw "a" and active eq true', ['u1']],
  ['userName eq "bob" or displayName eq "eve"', ['u2', 'u5']],
  ['not (active eq true) and emails pr', ['u2']],
  ['(userName eq "bob" or userName eq "carol") and not (emails.type eq "home")', ['u2']],
  ['title eq "Engineer" or userName eq "dave"', ['u1', 'u4']],
  ['title eq "Engineer" and emails.value eq "ada@work.com"', ['u1']],
  ['groups.value eq "g1"', ['u1', 'u2']],
  ['groups.display eq "ops"', ['u3']],
  ['userName eq "nobody"', []],
];

export const USER_SORT_EXPECTATIONS: readonly [string, 'ascending' | 'descending', string[]][] = [
  ['userName', 'ascending', ['u1', 'u2', 'u3', 'u4', 'u5']],
  ['userName', 'descending', ['u5', 'u4', 'u3', 'u2', 'u1']],
  ['displayName', 'descending', ['u3', 'u5', 'u4', 'u2', 'u1']],
  ['displayName', 'ascending', ['u1', 'u2', 'u4', 'u5', 'u3']],
  ['emails.value', 'ascending', ['u1', 'u2', 'u3', 'u5', 'u4']],
  ['emails', 'ascending', ['u1', 'u2', 'u3', 'u5', 'u4']],
  ['meta.lastModified', 'descending', ['u5', 'u4', 'u3', 'u2', 'u1']],
  ['externalId', 'ascending', ['u4', 'u1', 'u2', 'u3', 'u5']],
  ['active', 'ascending', ['u2', 'u1', 'u3', 'u4', 'u5']],
  ['name.familyName', 'ascending', ['u1', 'u2', 'u3', 'u4', 'u5']],
];

async function seed(store: Store): Promise<void> {
  await store.commit({ putUsers: [...QUERY_FIXTURE_USERS] });
  await store.commit({ putGroups: [group('g1', 'Sales', ['u1', 'u2']), group('g2', 'Ops', ['u3'])] });
}

const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

export function storeQueryContractCases(test: (name: string, body: (store: Store) => Promise<void>) => void): void {
  test('queryUsers: every filter operator, and/or/not, value paths, extensions and derived groups', async (store) => {
    await seed(store);
    for (const [filter, expected] of USER_FILTER_EXPECTATIONS) {
      const page = await store.queryUsers({ filter: parseFilter(filter) });
      assert.deepEqual(ids(page.records), expected, `filter ${filter}`);
      assert.equal(page.totalResults, expected.length, `totalResults of ${filter}`);
    }
  });

  test('queryUsers: sortBy/sortOrder, absent values last when ascending, ties in insertion order', async (store) => {
    await seed(store);
    for (const [sortBy, sortOrder, expected] of USER_SORT_EXPECTATIONS) {
      assert.deepEqual(
        ids((await store.queryUsers({ sortBy: path(sortBy), sortOrder })).records),
        expected,
        `sortBy ${sortBy} ${sortOrder}`,
      );
    }
  });

  test('queryUsers: startIndex/count pages with the total of the whole result', async (store) => {
    await seed(store);
    const cases: [IdentityQuery, string[], number][] = [
      [{}, ['u1', 'u2', 'u3', 'u4', 'u5'], 5],
      [{ startIndex: 2, count: 2 }, ['u2', 'u3'], 5],
      [{ filter: parseFilter('active eq true'), startIndex: 3, count: 10 }, ['u4', 'u5'], 4],
      [{ count: 0 }, [], 5],
      [{ startIndex: 0, count: 1 }, ['u1'], 5],
      [{ startIndex: 10 }, [], 5],
      [
        {
          filter: parseFilter('title eq "Engineer" or active eq true'),
          sortBy: path('userName'),
          sortOrder: 'descending',
          startIndex: 2,
          count: 2,
        },
        ['u4', 'u3'],
        4,
      ],
    ];
    for (const [query, expected, total] of cases) {
      const page = await store.queryUsers(query);
      assert.deepEqual(ids(page.records), expected, JSON.stringify(query));
      assert.equal(page.totalResults, total, JSON.stringify(query));
    }
  });

  test('queryUsers follows updates and deletes (indexes stay in step with the records)', async (store) => {
    await seed(store);
    const bob = QUERY_FIXTURE_USERS[1];
    await store.commit({
      putUsers: [{ ...bob, version: 2, resource: { ...bob.resource, displayName: 'Robert', emails: [{ value: 'bob@new.com' }] } }],
    });
    await store.commit({ deleteUsers: ['u3'] });
    const q = async (filter: string) => ids((await store.queryUsers({ filter: parseFilter(filter) })).records);
    assert.deepEqual(await q('emails.value eq "bob@work.com"'), []);
    assert.deepEqual(await q('emails.value eq "BOB@new.com"'), ['u2']);
    assert.deepEqual(await q('displayName eq "robert"'), ['u2']);
    assert.deepEqual(await q('emails.value ew ".org"'), ['u1']);
    assert.equal((await store.queryUsers({})).totalResults, 4);
  });

  test('queryGroups: filters on displayName and members, sort and paging', async (store) => {
    await seed(store);
    const q = async (filter: string) => ids((await store.queryGroups({ filter: parseFilter(filter) })).records);
    assert.deepEqual(await q('displayName eq "sales"'), ['g1']);
    assert.deepEqual(await q('members.value eq "u3"'), ['g2']);
    assert.deepEqual(await q('members[value eq "u1"]'), ['g1']);
    assert.deepEqual(await q('members pr'), ['g1', 'g2']);
    assert.deepEqual(await q('id eq "g2" or displayName co "ale"'), ['g1', 'g2']);
    assert.deepEqual(ids((await store.queryGroups({ sortBy: path('displayName') })).records), ['g2', 'g1']);
    const page = await store.queryGroups({ startIndex: 2, count: 1 });
    assert.deepEqual([ids(page.records), page.totalResults], [['g2'], 2]);
  });
}
