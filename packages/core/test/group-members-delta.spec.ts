import { IdentityError, type Store } from '../src/engine.js';
import { InMemoryStore } from '../src/testing.js';
import { pipelineFixturePerTest } from './recording-connector.js';
import { storeAround } from './store-proxy.js';

const actor = { actor: 'test' };
const pipelineFixture = pipelineFixturePerTest();
const mapping = { userName: 'userName' };

/** The in-memory store, with the names of the reads made and whether a commit rewrote a whole group. */
function watchedStore(): { store: Store; reads: string[]; wholeGroupWrites: () => number } {
  const reads: string[] = [];
  let whole = 0;
  const store = storeAround(new InMemoryStore(), (name, args, call) => {
    if (name === 'commit' && ((args[0] as { putGroups?: unknown[] }).putGroups?.length ?? 0) > 0) whole += 1;
    reads.push(name);
    return call();
  });
  return { store, reads, wholeGroupWrites: () => whole };
}

/**
 * The in-memory store with its commits held until `release()`, then applied in the order they were called (as
 * SQLite's group commit applies a batch); `failing` names the commits (1-based, counted from `hold()`) that fail.
 */
function heldCommits(failing: readonly number[] = []) {
  let holding = false;
  let called = 0;
  let queue: (() => void)[] = [];
  const store = storeAround(new InMemoryStore(), (name, _args, call) => {
    if (name !== 'commit' || !holding) return call();
    called += 1;
    const fails = failing.includes(called);
    return new Promise((resolve, reject) =>
      queue.push(() => (fails ? reject(new Error('the disk is full')) : (call() as Promise<unknown>).then(resolve, reject))),
    );
  });
  return {
    store,
    hold: () => void (holding = true),
    /** Commits called while held, so far. */
    held: () => called,
    release: () => {
      holding = false;
      const run = queue;
      queue = [];
      for (const apply of run) apply();
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<IdentityError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IdentityError) return error;
    throw error;
  }
  throw new Error('expected an IdentityError, the write succeeded');
}

describe('membership deltas (IdentityService.changeGroupMembers)', () => {
  it('adds and takes out members without reading or rewriting the others, and keeps the audit, version and If-Match', async () => {
    const watched = watchedStore();
    const fixture = await pipelineFixture([], { store: watched.store });
    const { identities } = fixture.runtime;
    const ids: string[] = [];
    for (const name of ['ada', 'bob', 'cy', 'dee'])
      ids.push((await identities.createUser({ userName: name }, actor)).resource.id as string);
    const [ada, bob, cy, dee] = ids;
    const group = (await identities.createGroup({ displayName: 'Ops', members: [{ value: ada }, { value: bob }] }, actor)).resource;
    const id = group.id as string;
    watched.reads.length = 0;
    const written = await identities.changeGroupMembers(id, { add: [{ value: cy }, { value: ada.toUpperCase() }], remove: [bob] }, actor);
    expect(written.resource).toMatchObject({ id, displayName: 'Ops', meta: { version: 'W/"2"' } });
    expect(written.resource.members).toBeUndefined();
    expect(watched.reads).not.toContain('getGroup');
    expect(watched.wholeGroupWrites()).toBe(1); // the createGroup only
    expect((await fixture.store.getGroup(id))?.members.map((m) => m.value)).toEqual([ada, cy]);
    const [entry] = await fixture.store.listAudit({ entityId: id, limit: 1 });
    expect(entry).toMatchObject({ action: 'group.replace', actor: 'test', details: { displayName: 'Ops', added: [cy], removed: [bob] } });
    // If-Match: a stale version is refused, the current one goes through.
    const stale = await refusal(identities.changeGroupMembers(id, { add: [{ value: dee }], remove: [] }, { ...actor, expectedVersion: 1 }));
    expect(stale.kind).toBe('preconditionFailed');
    await identities.changeGroupMembers(id, { add: [{ value: dee }], remove: [] }, { ...actor, expectedVersion: 2 });
    expect((await fixture.store.getGroup(id))?.members.map((m) => m.value)).toEqual([ada, cy, dee]);
    // Adding a member that is already there changes no member; the version still moves on, as with patchGroup.
    await identities.changeGroupMembers(id, { add: [{ value: cy }], remove: [] }, actor);
    expect(await fixture.store.getGroup(id)).toMatchObject({ version: 4, members: [{ value: ada }, { value: cy }, { value: dee }] });
    expect((await fixture.runtime.identities.getUser(cy))?.groups).toEqual([{ value: id, display: 'Ops', type: 'direct' }]);
  });

  it('refuses a member that does not exist, and one without a value, with the words patchGroup uses, changing nothing', async () => {
    const fixture = await pipelineFixture([]);
    const { identities } = fixture.runtime;
    const ada = (await identities.createUser({ userName: 'ada' }, actor)).resource.id as string;
    const id = (await identities.createGroup({ displayName: 'Ops' }, actor)).resource.id as string;
    const viaDelta = await refusal(identities.changeGroupMembers(id, { add: [{ value: ada }, { value: 'nobody' }], remove: [] }, actor));
    const viaPatch = await refusal(identities.patchGroup(id, (g) => ({ ...g, members: [{ value: ada }, { value: 'nobody' }] }), actor));
    expect([viaDelta.kind, viaDelta.message]).toEqual([viaPatch.kind, viaPatch.message]);
    const noValue = await refusal(identities.changeGroupMembers(id, { add: [{ display: 'x' } as never], remove: [] }, actor));
    expect(noValue.message).toBe('every member needs a "value" (the id of a user or group)');
    expect(await fixture.store.getGroup(id)).toMatchObject({ version: 1, members: [] });
    expect((await refusal(identities.changeGroupMembers('nope', { add: [], remove: [ada] }, actor))).kind).toBe('notFound');
  });

  it('plans jobs for the members whose scope changed only, and the group job as patchGroup does', async () => {
    const fixture = await pipelineFixture([{ id: 'sales-crm', mapping, scope: 'groups.display eq "Sales"' }]);
    const { identities } = fixture.runtime;
    const target = fixture.targets['sales-crm'];
    const ids: string[] = [];
    for (const name of ['ada', 'bob', 'cy']) ids.push((await identities.createUser({ userName: name }, actor)).resource.id as string);
    const [ada, bob, cy] = ids;
    const sales = (await identities.createGroup({ displayName: 'Sales', members: [{ value: ada }, { value: bob }] }, actor)).resource
      .id as string;
    await fixture.settle();
    const before = (await fixture.store.listJobs({})).length;
    await identities.changeGroupMembers(sales, { add: [{ value: cy }], remove: [ada] }, actor);
    const planned = (await fixture.store.listJobs({})).slice(0, (await fixture.store.listJobs({})).length - before);
    expect(planned.map((j) => [j.entityType, j.localId, j.action]).sort()).toEqual(
      [
        ['group', sales, 'sync'],
        ['user', ada, 'delete'],
        ['user', cy, 'sync'],
      ].sort(),
    );
    await fixture.settle();
    const active = Object.fromEntries([...target.users.values()].map((u) => [u.attributes.userName, u.active]));
    expect(active).toEqual({ ada: false, bob: true, cy: true });
    const [remoteGroup] = [...target.groups.values()];
    const remoteOf = async (id: string) => (await fixture.store.getLink('sales-crm', 'user', id))?.remoteId;
    expect([...remoteGroup.members].sort()).toEqual([await remoteOf(bob), await remoteOf(cy)].sort());
  });

  // Issue 21: member adds to one group share a commit. Each delta builds on the one before it while that one is
  // still uncommitted; the outcome is what the same changes one after the other leave.
  it('builds each delta on the ones not yet committed, and ends as the same changes made in turn', async () => {
    const held = heldCommits();
    const fixture = await pipelineFixture([], { store: held.store });
    const { identities } = fixture.runtime;
    const [a, b, c, d] = await Promise.all(
      ['ada', 'bob', 'cy', 'dee'].map(async (name) => (await identities.createUser({ userName: name }, actor)).resource.id as string),
    );
    const id = (await identities.createGroup({ displayName: 'Ops' }, actor)).resource.id as string;
    held.hold();
    const change = (add: string[], remove: string[]) =>
      identities.changeGroupMembers(id, { add: add.map((value) => ({ value })), remove }, actor).then(
        (written) => written.resource.meta?.version,
        (error: unknown) => (error instanceof IdentityError ? error.kind : error),
      );
    const answers = [
      change([a], []),
      change([b], []),
      change([], [a]),
      change([c], [b]),
      change([a], []), // added back
      change([], [c]),
      change(['nobody'], []),
      change([d, a.toUpperCase()], []), // a is a member again (by another case of its id): only d is added
    ];
    // Every delta reached the store before any was committed: none waited for the one before it.
    for (let i = 0; i < 100 && held.held() < 7; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(held.held()).toBe(7);
    held.release();
    expect(await Promise.all(answers)).toEqual(['W/"2"', 'W/"3"', 'W/"4"', 'W/"5"', 'W/"6"', 'W/"7"', 'invalidValue', 'W/"8"']);
    expect(await fixture.store.getGroup(id)).toMatchObject({ version: 8, members: [{ value: a }, { value: d }] });
    expect((await fixture.store.listAudit({ entityId: id, limit: 1 }))[0]).toMatchObject({ details: { added: [d], removed: [] } });
  });

  it('a delta whose commit fails takes none of its changes into the ones built on it: they run again on what the store holds', async () => {
    const held = heldCommits([2]);
    const fixture = await pipelineFixture([], { store: held.store });
    const { identities } = fixture.runtime;
    const [a, b, c] = await Promise.all(
      ['ada', 'bob', 'cy'].map(async (name) => (await identities.createUser({ userName: name }, actor)).resource.id as string),
    );
    const id = (await identities.createGroup({ displayName: 'Ops' }, actor)).resource.id as string;
    held.hold();
    const change = (add: string[], remove: string[]) =>
      identities.changeGroupMembers(id, { add: add.map((value) => ({ value })), remove }, actor).then(
        () => 'ok',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    const answers = [change([a], []), change([b], []), change([c], []), change([], [a])];
    for (let i = 0; i < 100 && held.held() < 4; i += 1) await new Promise((resolve) => setImmediate(resolve));
    held.release();
    expect(await Promise.all(answers)).toEqual(['ok', 'the disk is full', 'ok', 'ok']);
    expect(await fixture.store.getGroup(id)).toMatchObject({ version: 4, members: [{ value: c }] });
  });

  it('takes the whole-group path when a groupScope reads members, with the same outcome', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, groupScope: 'members pr' }]);
    const { identities } = fixture.runtime;
    const ada = (await identities.createUser({ userName: 'ada' }, actor)).resource.id as string;
    const id = (await identities.createGroup({ displayName: 'Ops' }, actor)).resource.id as string;
    const written = await identities.changeGroupMembers(id, { add: [{ value: ada }], remove: [] }, actor);
    expect(written.resource.members).toEqual([expect.objectContaining({ value: ada })]);
    await fixture.settle();
    expect([...fixture.targets.crm.groups.values()].map((g) => g.name)).toEqual(['Ops']);
  });
});
