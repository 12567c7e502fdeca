import assert from 'node:assert/strict';
import { groupOperationsOf, type GroupOperations, type GroupPayload, type MappedAttributes, type OutboundConnector } from '@provisio/core';
import type { ConformanceCase } from './case-context.js';

const noGroups = (o: { capabilities: { groups: boolean } }) => (o.capabilities.groups ? undefined : 'capabilities.groups is false');

function groupMethods(connector: OutboundConnector): GroupOperations {
  const operations = groupOperationsOf(connector);
  assert.ok(operations, 'capabilities.groups needs every group method');
  return operations;
}

function changedFields(before: MappedAttributes, after: MappedAttributes): MappedAttributes {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return Object.fromEntries(
    [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, after[k] ?? null]),
  );
}

const lookupOf = (g: GroupPayload) => ({
  localId: g.localId,
  displayName: g.group.displayName,
  accountName: g.accountName,
  attributes: g.attributes,
});

export const groupCases: ConformanceCase[] = [
  {
    id: 'groups-lifecycle',
    title: 'groups: create, find, rename, delete (a second delete still succeeds)',
    skipReason: noGroups,
    async run({ connector, nextGroup, options, fixture }) {
      const groups = groupMethods(connector);
      const payload = nextGroup();
      const ref = await groups.createGroup(payload);
      assert.ok(ref.remoteId, 'createGroup must return a remoteId');
      assert.equal((await groups.findGroup(lookupOf(payload)))?.remoteId, ref.remoteId, 'findGroup must find the new group');
      const renamed = nextGroup();
      const update = {
        ...renamed,
        localId: payload.localId,
        remoteId: ref.remoteId,
        changed: changedFields(payload.attributes, renamed.attributes),
      };
      await groups.updateGroup(update);
      assert.equal(
        (await groups.findGroup(lookupOf({ ...renamed, localId: payload.localId })))?.remoteId,
        ref.remoteId,
        'the renamed group is found by its new name',
      );
      if (options.inspect?.group) assert.equal((await options.inspect.group(fixture, ref.remoteId))?.name, renamed.group.displayName);
      await groups.deleteGroup({ localId: payload.localId, remoteId: ref.remoteId });
      if (options.inspect?.group) assert.equal(await options.inspect.group(fixture, ref.remoteId), null, 'the group must be gone remotely');
      await groups.deleteGroup({ localId: payload.localId, remoteId: ref.remoteId });
    },
  },
  {
    id: 'groups-membership',
    title: 'groups: add and remove members by remote id; adding a member twice or removing an absent one succeeds',
    skipReason: noGroups,
    async run({ connector, nextGroup, nextUser, options, fixture }) {
      const groups = groupMethods(connector);
      const [a, b] = [await connector.createUser(nextUser()), await connector.createUser(nextUser())];
      const payload = nextGroup();
      const group = await groups.createGroup(payload);
      const change = (ids: string[]) => ({ groupLocalId: payload.localId, groupRemoteId: group.remoteId, memberRemoteIds: ids });
      const members = async () => [...((await options.inspect?.group?.(fixture, group.remoteId))?.memberRemoteIds ?? [])].sort();
      await groups.addMembers(change([a.remoteId, b.remoteId]));
      if (options.inspect?.group) assert.deepEqual(await members(), [a.remoteId, b.remoteId].sort(), 'both members are in the group');
      await groups.addMembers(change([a.remoteId]));
      await groups.removeMembers(change([a.remoteId]));
      if (options.inspect?.group) assert.deepEqual(await members(), [b.remoteId], 'only the remaining member is in the group');
      await groups.removeMembers(change([a.remoteId]));
    },
  },
];
