import { pipelineFixture, type PipelineFixture } from './recording-connector.js';

const actor = { actor: 'test' };
const mapping = { userName: 'userName', title: { from: 'title', default: 'Staff' } };
let fixture: PipelineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

/** Local users without provisioning them (no worker): the adoption flow before the connector runs. */
async function localUsers(f: PipelineFixture, users: { userName: string; title?: string }[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const user of users) ids[user.userName] = (await f.runtime.identities.createUser(user, actor)).resource.id as string;
  return ids;
}

describe('import: link what the target already holds', () => {
  it('a dry run reports and writes nothing; --apply links each exact match once, with what the target holds; a second run finds them linked', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping }], { runWorker: false });
    const target = fixture.targets.crm;
    const adaRemote = target.seed('ADA', { userName: 'ADA', title: 'Staff' });
    const bobRemote = target.seed('bob', { userName: 'bob', title: 'Boss' });
    target.seed('zed', { userName: 'zed' });
    const ids = await localUsers(fixture, [{ userName: 'ada' }, { userName: 'bob' }, { userName: 'carol' }]);
    const crm = fixture.runtime.target('crm')!;

    const dry = await fixture.runtime.imports.run(crm, actor);
    expect(dry).toMatchObject({ status: 'done', apply: false, read: 3 });
    expect(dry.counts).toEqual({ linked: 2, alreadyLinked: 0, ambiguous: 0, orphans: 1, unmatchedLocal: 1 });
    expect(dry.samples.orphans).toEqual([{ remoteId: expect.any(String), remoteName: 'zed', localIds: [] }]);
    expect(dry.samples.unmatchedLocal).toEqual([{ localIds: [ids.carol] }]);
    expect(await fixture.store.getLink('crm', 'user', ids.ada)).toBeUndefined();

    const applied = await fixture.runtime.imports.run(crm, { ...actor, apply: true });
    expect(applied.counts).toMatchObject({ linked: 2, alreadyLinked: 0, orphans: 1, unmatchedLocal: 1 });
    // Matched ignoring case (the default rule is userName), linked with what the target holds, so a sync sends only differences.
    expect(await fixture.store.getLink('crm', 'user', ids.ada)).toMatchObject({
      remoteId: adaRemote,
      status: 'synced',
      remoteActive: true,
      syncedAttributes: { userName: 'ADA', title: 'Staff' },
    });
    expect((await fixture.store.getLink('crm', 'user', ids.bob))?.remoteId).toBe(bobRemote);
    // Only reads: nothing was created, updated or deleted in the target.
    expect(new Set(target.calls.map((c) => c.op))).toEqual(new Set(['listUsers']));
    // One page of three accounts per run.
    expect(target.count('listUsers')).toBe(2);

    const again = await fixture.runtime.imports.run(crm, { ...actor, apply: true });
    expect(again.counts).toMatchObject({ linked: 0, alreadyLinked: 2, orphans: 1 });
    const reports = await fixture.store.listTargetReports({ instanceId: 'crm', kind: 'import' });
    expect(reports.map((r) => r.id)).toEqual([again.id, applied.id, dry.id]);
  });

  it('links nothing that is ambiguous: one remote account matching several identities, or several matching one', async () => {
    fixture = await pipelineFixture(
      [
        {
          id: 'crm',
          mapping,
          match: [{ local: 'title', remote: 'title' }],
          reconcile: { missing: 'recreate', repair: true, orphans: 'report', keep: [] },
        },
      ],
      {
        runWorker: false,
      },
    );
    const target = fixture.targets.crm;
    const shared = target.seed('eng', { title: 'Engineer' });
    const cto1 = target.seed('cto-1', { title: 'CTO' });
    const cto2 = target.seed('cto-2', { title: 'cto' });
    target.seed('cfo', { title: 'CFO' });
    const ids = await localUsers(fixture, [
      { userName: 'a', title: 'Engineer' },
      { userName: 'b', title: 'Engineer' },
      { userName: 'c', title: 'CTO' },
      { userName: 'd', title: 'CFO' },
    ]);
    const report = await fixture.runtime.imports.run(fixture.runtime.target('crm')!, { ...actor, apply: true });
    expect(report.counts).toEqual({ linked: 1, alreadyLinked: 0, ambiguous: 2, orphans: 0, unmatchedLocal: 0 });
    // Local ids come in the store's id order: compare them as a set.
    const [oneRemote, oneLocal] = report.samples.ambiguous;
    expect({ ...oneRemote, localIds: [...(oneRemote.localIds ?? [])].sort() }).toEqual({
      remoteId: shared,
      remoteName: 'eng',
      localIds: [ids.a, ids.b].sort(),
      note: 'title matches 2 local identities',
    });
    expect(oneLocal).toEqual({ localIds: [ids.c], remoteIds: [cto1, cto2], note: '2 remote accounts match one local identity' });
    for (const name of ['a', 'b', 'c']) expect(await fixture.store.getLink('crm', 'user', ids[name])).toBeUndefined();
    expect((await fixture.store.getLink('crm', 'user', ids.d))?.status).toBe('synced');
  });

  it('an apply stopped midway leaves its links; the next run continues from them and never doubles', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping }], { runWorker: false });
    const target = fixture.targets.crm;
    const names = Array.from({ length: 7 }, (_, i) => `user${i}`);
    for (const name of names) target.seed(name, { userName: name, title: 'Staff' });
    const ids = await localUsers(
      fixture,
      names.map((userName) => ({ userName })),
    );
    const crm = fixture.runtime.target('crm')!;
    const stop = new AbortController();
    const first = await fixture.runtime.imports.run(crm, {
      ...actor,
      apply: true,
      batchSize: 2,
      signal: stop.signal,
      // Ctrl+C right after the first batch of links is written.
      onProgress: (progress) => {
        if (progress.phase === 'link') stop.abort();
      },
    });
    expect(first).toMatchObject({ status: 'aborted' });
    expect(first.counts.linked).toBe(2);
    const linkedFirst = (await fixture.store.linksFor('crm', 'user', Object.values(ids))).length;
    expect(linkedFirst).toBe(2);

    const second = await fixture.runtime.imports.run(crm, { ...actor, apply: true, batchSize: 2 });
    expect(second).toMatchObject({ status: 'done' });
    expect(second.counts).toMatchObject({ linked: 5, alreadyLinked: 2, ambiguous: 0, orphans: 0, unmatchedLocal: 0 });
    const links = await fixture.store.linksFor('crm', 'user', Object.values(ids));
    expect(links).toHaveLength(7);
    expect(new Set(links.map((l) => l.remoteId)).size).toBe(7);
    expect((await fixture.store.getTargetReport(first.id))?.status).toBe('aborted');
  });

  it('refuses a second import of the same instance while one runs', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping }], { runWorker: false });
    fixture.targets.crm.seed('ada', { userName: 'ada' });
    const crm = fixture.runtime.target('crm')!;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = fixture.runtime.imports.run(crm, { ...actor, onProgress: () => held });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(fixture.runtime.imports.run(crm, actor)).rejects.toThrow('an import of crm is already running');
    release();
    expect((await first).status).toBe('done');
  });
});

describe('an update of a linked account the target no longer has', () => {
  const deleteBehindOurBack = async (f: PipelineFixture) => {
    const { resource } = await f.runtime.identities.createUser({ userName: 'ada', title: 'Engineer' }, actor);
    await f.settle();
    const id = resource.id as string;
    const first = (await f.store.getLink('crm', 'user', id))!.remoteId!;
    f.targets.crm.users.delete(first);
    await f.runtime.identities.replaceUser(id, { userName: 'ada', title: 'CTO' }, actor);
    await f.settle();
    return { id, first };
  };

  it('is created again with reconcile.missing: recreate (the default), and the link gets the new id', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping }]);
    const { id, first } = await deleteBehindOurBack(fixture);
    const link = await fixture.store.getLink('crm', 'user', id);
    expect(link).toMatchObject({ status: 'synced' });
    expect(link?.remoteId).not.toBe(first);
    expect(fixture.targets.crm.users.get(link!.remoteId!)?.attributes).toMatchObject({ title: 'CTO' });
    const [job] = await fixture.store.listJobs({ localId: id, limit: 1 });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('fails the job saying so, creating nothing, with reconcile.missing: report', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping, reconcile: { missing: 'report', repair: true, orphans: 'report', keep: [] } }]);
    const { id } = await deleteBehindOurBack(fixture);
    expect(fixture.targets.crm.users.size).toBe(0);
    const [job] = await fixture.store.listJobs({ localId: id, limit: 1 });
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/is gone from the target \(reconcile.missing: report; not re-created\)/);
  });
});
