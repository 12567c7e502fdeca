import assert from 'node:assert/strict';
import { isConflictError } from '@provisio/core';
import { describeError, rejectionOf } from '../rejection.js';
import { createNextUser, lookupOf, type ConformanceCase } from './case-context.js';

export const userCases: ConformanceCase[] = [
  {
    id: 'create-find',
    title: 'creates a user, then findUser finds that account by its natural keys',
    skipReason: () => undefined,
    async run({ connector, nextUser }) {
      const { payload, ref } = await createNextUser(connector, nextUser);
      assert.ok(typeof ref.remoteId === 'string' && ref.remoteId !== '', 'createUser must return a non-empty remoteId');
      const found = await connector.findUser(lookupOf(payload));
      assert.equal(found?.remoteId, ref.remoteId, 'findUser must find the account createUser made');
    },
  },
  {
    id: 'find-missing',
    title: 'findUser returns null when no such account exists',
    skipReason: () => undefined,
    async run({ connector, nextUser }) {
      assert.equal(await connector.findUser(lookupOf(nextUser())), null);
    },
  },
  {
    id: 'update',
    title: 'updateUser sends the changed fields and the change is visible remotely',
    skipReason: () => undefined,
    async run({ connector, nextUser, options, fixture }) {
      const { payload, ref } = await createNextUser(connector, nextUser);
      const changed = options.changeUser(payload);
      assert.ok(Object.keys(changed).length > 0, 'options.changeUser must change at least one field');
      await connector.updateUser({ ...payload, attributes: { ...payload.attributes, ...changed }, remoteId: ref.remoteId, changed });
      const found = await connector.findUser(lookupOf(payload));
      assert.equal(found?.remoteId, ref.remoteId, 'the updated account must still be found under the same remoteId');
      if (!options.inspect?.user) return;
      const remote = await options.inspect.user(fixture, ref.remoteId);
      assert.ok(remote, 'inspect.user must see the updated account');
      for (const [field, value] of Object.entries(changed)) {
        assert.deepEqual(remote.attributes[field], value ?? undefined, `remote field "${field}" after the update`);
      }
    },
  },
  {
    id: 'duplicate-create-conflict',
    title: 'creating an account that already exists is a ConflictError (no twin)',
    skipReason: () => undefined,
    async run({ connector, nextUser }) {
      const { payload, ref } = await createNextUser(connector, nextUser);
      const error = await rejectionOf(connector.createUser(payload), 'a second createUser of the same account');
      assert.ok(isConflictError(error), `expected a ConflictError, got ${describeError(error)}`);
      assert.equal((await connector.findUser(lookupOf(payload)))?.remoteId, ref.remoteId);
    },
  },
  {
    id: 'deprovision',
    title: 'deleteUser deletes or deactivates as configured; a second deleteUser still succeeds',
    skipReason: () => undefined,
    async run({ connector, nextUser, options, fixture }) {
      const { payload, ref } = await createNextUser(connector, nextUser);
      const deletion = { localId: payload.localId, remoteId: ref.remoteId, user: payload.user };
      const first = await connector.deleteUser(deletion);
      const inspect = options.inspect?.user;
      if (options.capabilities.deleteMode === 'deactivate') {
        assert.equal(first?.mode, 'deactivated', 'deleteUser in deactivate mode must return { mode: "deactivated" }');
        if (inspect) assert.equal((await inspect(fixture, ref.remoteId))?.active, false, 'the account must be inactive remotely');
        assert.equal((await connector.findUser(lookupOf(payload)))?.remoteId, ref.remoteId, 'a deactivated account is still found');
      } else {
        assert.ok(first === undefined || first.mode === 'deleted', 'deleteUser in delete mode must return nothing or { mode: "deleted" }');
        if (inspect) assert.equal(await inspect(fixture, ref.remoteId), null, 'the account must be gone remotely');
        assert.equal(await connector.findUser(lookupOf(payload)), null, 'a deleted account is no longer found');
      }
      await connector.deleteUser(deletion);
    },
  },
  {
    id: 'reactivate',
    title: 'updateUser({ reactivate: true }) makes a deactivated account active again',
    skipReason: (o) => (o.capabilities.deleteMode === 'deactivate' ? undefined : 'capabilities.deleteMode is "delete"'),
    async run({ connector, nextUser, options, fixture }) {
      const { payload, ref } = await createNextUser(connector, nextUser);
      await connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId, user: payload.user });
      await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {}, reactivate: true });
      if (options.inspect?.user)
        assert.equal((await options.inspect.user(fixture, ref.remoteId))?.active, true, 'the account must be active again');
      assert.equal((await connector.findUser(lookupOf(payload)))?.remoteId, ref.remoteId);
    },
  },
  {
    id: 'password',
    title: 'createUser with a password succeeds',
    skipReason: (o) => (o.capabilities.passwords ? undefined : 'capabilities.passwords is not set'),
    async run({ connector, nextUser, addSecret }) {
      const password = `Conformance-${Date.now().toString(36)}-Pa55!`;
      addSecret(password);
      const ref = await connector.createUser({ ...nextUser(), password });
      assert.ok(ref.remoteId);
    },
  },
];
