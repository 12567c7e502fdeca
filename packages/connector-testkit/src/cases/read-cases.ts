import assert from 'node:assert/strict';
import { groupOperationsOf } from '@provisio/core';
import type { ConformanceRead } from '../conformance-options.js';
import { createNextUser, hook, type CaseContext, type ConformanceCase } from './case-context.js';
import {
  assertAllListed,
  assertNoDuplicates,
  assertPageSizes,
  assertTotalHint,
  readAll,
  readMethods,
  requestedFields,
} from './read-listing.js';

const needsRead = (o: { read?: unknown }) => (o.read ? undefined : 'no read hooks');
const readOf = <F extends CaseContext['fixture']>(ctx: CaseContext<F>): ConformanceRead<F> => hook(ctx.options.read, 'read');

/** Generous bound on the pages a listing of `accounts` may take: any more and it is not ending. */
const pageBound = (accounts: number, pageSize: number) => Math.ceil(accounts / pageSize) * 2 + 10;

async function existingIds<F extends CaseContext['fixture']>(ctx: CaseContext<F>): Promise<string[]> {
  return [...((await readOf(ctx).existingUserIds?.(ctx.fixture)) ?? [])];
}

async function seeded<F extends CaseContext['fixture']>(ctx: CaseContext<F>, count: number): Promise<string[]> {
  const ids = await readOf(ctx).seedUsers(ctx.fixture, count);
  assert.equal(ids.length, count, `read.seedUsers must answer the ${count} remote ids it made`);
  return ids;
}

export const readCases: ConformanceCase[] = [
  {
    id: 'read-get',
    title: 'read: getUser answers an account with its mapped-back fields, and null once it is gone',
    skipReason: needsRead,
    async run(ctx) {
      const { connector, nextUser, options, fixture } = ctx;
      const read = readMethods(connector);
      const { payload, ref } = await createNextUser(connector, nextUser);
      const changed = options.changeUser(payload);
      await connector.updateUser({ ...payload, attributes: { ...payload.attributes, ...changed }, remoteId: ref.remoteId, changed });
      const request = requestedFields(options.read?.attributes, payload.attributes, changed);
      const remote = await read.getUser(ref.remoteId, request);
      assert.ok(remote, 'getUser must find the account createUser made');
      assert.equal(remote.remoteId, ref.remoteId);
      assert.equal(remote.active, true, 'a new account is active');
      for (const [field, value] of Object.entries(changed)) {
        assert.deepEqual(remote.attributes[field], value ?? undefined, `remote field "${field}" read back after the update`);
      }
      const listed = await readAll(read.listUsers(request), pageBound(1000, options.read?.pageSize ?? 1));
      assert.ok(listed.ids.includes(ref.remoteId), 'listUsers must yield the account too');
      await readOf(ctx).removeUser(fixture, ref.remoteId);
      assert.equal(await read.getUser(ref.remoteId, request), null, 'getUser must answer null for an account that is gone');
    },
  },
  {
    id: 'read-paging',
    title: 'read: listUsers pages through a target of several pages, every account once, in pages no larger than the page size',
    skipReason: needsRead,
    async run(ctx) {
      const { pageSize } = readOf(ctx);
      const expected = [...(await existingIds(ctx)), ...(await seeded(ctx, pageSize * 2 + 1))];
      const listing = await readAll(readMethods(ctx.connector).listUsers(), pageBound(expected.length, pageSize));
      assertNoDuplicates(listing.ids);
      assertAllListed(listing.ids, expected);
      assertPageSizes(listing.pages, pageSize);
      assert.ok(
        listing.pages.filter((p) => p.items.length > 0).length >= 3,
        `${expected.length} accounts in pages of ${pageSize} take at least 3 pages`,
      );
      assertTotalHint(listing);
    },
  },
  {
    id: 'read-page-boundary',
    title: 'read: a target holding an exact multiple of the page size is listed whole, and the listing ends',
    skipReason: needsRead,
    async run(ctx) {
      const { pageSize } = readOf(ctx);
      const existing = await existingIds(ctx);
      const expected = [...existing, ...(await seeded(ctx, pageSize * 2 - (existing.length % pageSize)))];
      assert.equal(expected.length % pageSize, 0);
      const listing = await readAll(readMethods(ctx.connector).listUsers(), pageBound(expected.length, pageSize));
      assertNoDuplicates(listing.ids);
      assertAllListed(listing.ids, expected);
      assert.equal(listing.ids.length, expected.length, 'the listing must hold exactly the accounts of the target');
      assertPageSizes(listing.pages, pageSize);
      assertTotalHint(listing);
    },
  },
  {
    id: 'read-empty',
    title: 'read: an empty target lists no accounts (only those a fresh target already holds)',
    skipReason: needsRead,
    async run(ctx) {
      const existing = await existingIds(ctx);
      const listing = await readAll(readMethods(ctx.connector).listUsers(), pageBound(existing.length + 1, readOf(ctx).pageSize));
      assert.deepEqual([...listing.ids].sort(), [...existing].sort(), 'a fresh target lists only its existing accounts');
      assertTotalHint(listing);
    },
  },
  {
    id: 'read-deleted-between-pages',
    title: 'read: accounts deleted between two pages skip no other account and repeat none',
    skipReason: needsRead,
    async run(ctx) {
      const read = readOf(ctx);
      const seeds = await seeded(ctx, read.pageSize * 2 + 1);
      const removed: string[] = [];
      const listing = await readAll(
        readMethods(ctx.connector).listUsers(),
        pageBound(seeds.length + 10, read.pageSize),
        async (page, index) => {
          if (index !== 0) return;
          // One account the first page already yielded (offset paging would now skip one) and one still ahead.
          const onFirstPage = new Set(page.items.map((u) => u.remoteId));
          const behind = seeds.find((id) => onFirstPage.has(id));
          const ahead = seeds.findLast((id) => !onFirstPage.has(id));
          for (const id of [behind, ahead]) {
            if (id === undefined) continue;
            await read.removeUser(ctx.fixture, id);
            removed.push(id);
          }
        },
      );
      assert.equal(removed.length, 2, 'the first page must hold some seeded accounts and leave some for later pages');
      assertNoDuplicates(listing.ids);
      assertAllListed(
        listing.ids,
        seeds.filter((id) => !removed.includes(id)),
      );
      const getUser = readMethods(ctx.connector).getUser;
      for (const id of removed) assert.equal(await getUser(id), null, 'getUser answers null for an account deleted meanwhile');
    },
  },
  {
    id: 'read-groups',
    title: "read: listGroups and getGroup answer a group with its members' remote ids, and null once it is gone",
    skipReason: (o) =>
      needsRead(o) ?? (o.capabilities.groups && o.read?.groups ? undefined : 'no group reads (capabilities.groups and read.groups)'),
    async run({ connector, nextUser, nextGroup }) {
      const read = readMethods(connector);
      const groups = groupOperationsOf(connector);
      assert.ok(groups && read.listGroups && read.getGroup, 'read.groups needs every group method, listGroups and getGroup');
      const members = [(await connector.createUser(nextUser())).remoteId, (await connector.createUser(nextUser())).remoteId].sort();
      const payload = nextGroup();
      const ref = await groups.createGroup(payload);
      await groups.addMembers({ groupLocalId: payload.localId, groupRemoteId: ref.remoteId, memberRemoteIds: members });
      const got = await read.getGroup(ref.remoteId);
      assert.ok(got, 'getGroup must find the group createGroup made');
      assert.equal(got.remoteId, ref.remoteId);
      assert.deepEqual([...got.memberRemoteIds].sort(), members, "getGroup must answer the members' remote ids");
      let listed: string[] | undefined;
      let pages = 0;
      for await (const page of read.listGroups()) {
        assert.ok(++pages <= 1000, 'listGroups must end');
        listed ??= page.items.find((g) => g.remoteId === ref.remoteId)?.memberRemoteIds;
      }
      assert.deepEqual([...(listed ?? [])].sort(), members, 'listGroups must yield the group with its members');
      await groups.deleteGroup({ localId: payload.localId, remoteId: ref.remoteId });
      assert.equal(await read.getGroup(ref.remoteId), null, 'getGroup must answer null for a group that is gone');
    },
  },
];
