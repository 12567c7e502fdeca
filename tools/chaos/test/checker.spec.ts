import {
  AcknowledgedHistory,
  checkTarget,
  explain,
  formatTable,
  isClean,
  type JobView,
  type RemoteAccount,
  type TargetView,
} from '../src/index.js';

const write = (op: 'create' | 'patch' | 'delete', title?: string) => ({ op, title, ackedAt: 0, resent: false });

function job(id: string, localId: string, status: JobView['status'], createdAt: string, action: JobView['action'] = 'sync'): JobView {
  return {
    id,
    connector: 'scim2',
    entityType: 'user',
    localId,
    action,
    reason: 'test',
    status,
    attempts: 1,
    createdAt,
    updatedAt: createdAt,
    lastError: null,
    history: [],
  };
}

function view(accounts: Record<string, RemoteAccount[]>, createAttempts: Record<string, number> = {}): TargetView {
  const attempts = { ...Object.fromEntries(Object.keys(accounts).map((name) => [name, 1])), ...createAttempts };
  return {
    id: 'scim2',
    accounts: new Map(Object.entries(accounts)),
    createAttempts: new Map(Object.entries(attempts)),
    deprovision: 'delete',
  };
}

describe('the chaos checker', () => {
  const history = new AcknowledgedHistory();
  history.acknowledge('Kept@example.com', 'u1', write('create', 't0'));
  history.acknowledge('Kept@example.com', 'u1', write('patch', 't1'));
  history.acknowledge('Kept@example.com', 'u1', write('patch', 't2'));
  history.acknowledge('gone@example.com', 'u2', write('create', 't0'));
  history.acknowledge('gone@example.com', 'u2', write('delete'));

  it('is clean when every live user holds its last title once and deleted users are gone or inactive', () => {
    const findings = checkTarget(
      history,
      view({ 'kept@example.com': [{ title: 't2', active: true }], 'gone@example.com': [{ title: 't0', active: false }] }),
      [job('1', 'u1', 'succeeded', '2026-01-01T00:00:01Z')],
    );
    expect(isClean(findings)).toBe(true);
  });

  it('finds a stale title, an undone delete, and the succeeded newest job whose effect is missing', () => {
    const jobs = [
      job('1', 'u1', 'superseded', '2026-01-01T00:00:01Z'),
      job('2', 'u1', 'succeeded', '2026-01-01T00:00:02Z'),
      job('3', 'u2', 'succeeded', '2026-01-01T00:00:03Z', 'delete'),
    ];
    const findings = checkTarget(
      history,
      view({ 'kept@example.com': [{ title: 't1', active: true }], 'gone@example.com': [{ title: 't0', active: true }] }),
      jobs,
    );
    expect(findings).toMatchObject({
      missing: [],
      duplicated: [],
      stale: ['Kept@example.com'],
      deletesNotApplied: ['gone@example.com'],
      lost: ['2', '3'],
    });
  });

  it('finds missing users, second creates, two accounts, and jobs left pending, running or failed', () => {
    const jobs = [
      job('1', 'u1', 'running', '2026-01-01T00:00:01Z'),
      job('2', 'u1', 'pending', '2026-01-01T00:00:02Z'),
      job('3', 'u2', 'failed', '2026-01-01T00:00:03Z', 'delete'),
    ];
    const twice = checkTarget(history, view({ 'kept@example.com': [{ title: 't2', active: true }] }, { 'kept@example.com': 2 }), jobs);
    expect(twice).toMatchObject({ duplicated: ['Kept@example.com'], stranded: ['1', '2'], failed: ['3'], lost: [] });
    const missing = checkTarget(
      history,
      view({
        'gone@example.com': [
          { title: 't0', active: true },
          { title: 't0', active: true },
        ],
      }),
      [],
    );
    expect(missing).toMatchObject({
      missing: ['Kept@example.com'],
      duplicated: ['gone@example.com'],
      deletesNotApplied: ['gone@example.com'],
    });
  });

  it('prints one row per run and target with the count of each finding', () => {
    const findings = checkTarget(history, view({}), [job('9', 'u1', 'running', '2026-01-01T00:00:01Z')]);
    const table = formatTable([
      { run: 'pg', kills: 4, drainedSeconds: 12.34, findings },
      { run: 'sqlite', kills: 2, drainedSeconds: undefined, findings },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^\| run +\| kills \| drained \(s\) \| target +\| missing \| duplicated \| stale \| deletes not applied \| stranded \| failed \| succeeded w\/o effect \|$/,
    );
    expect(lines[2].split('|').map((c) => c.trim())).toEqual(['', 'pg', '4', '12.3', 'scim2', '1', '0', '0', '0', '1', '0', '0', '']);
    expect(lines[3]).toContain('not drained');
  });

  it("explains a second create by who sent each request, cut down to the user's own jobs", () => {
    const target: TargetView = {
      ...view({ 'kept@example.com': [{ title: 't2', active: true }] }, { 'kept@example.com': 2 }),
      createTimeline: () => ['201 at 10:00:00.100Z from 1.1 worker-7-a', '409 at 10:00:00.300Z from 5.1,1.2,6.1 worker-8-b'],
      writeTimeline: () => ['10:00:00.100 POST 201 from 1.1 worker-7-a', '10:00:00.300 POST 409 from 5.1,1.2,6.1 worker-8-b'],
      callsOf: (ids) => (ids.includes('1') ? ['10:00:00.250 GET /scim/v2/Users 200 from 1.2 worker-8-b'] : []),
    };
    const jobs = [job('1', 'u1', 'succeeded', '2026-01-01T00:00:01Z')];
    const text = explain(checkTarget(history, target, jobs), history, target, jobs);
    expect(text).toContain('(201 at 10:00:00.100Z from 1.1 worker-7-a, 409 at 10:00:00.300Z from 1.2 (+2 other jobs) worker-8-b)');
    expect(text).toContain(
      'received: 10:00:00.100 POST 201 from 1.1 worker-7-a | 10:00:00.300 POST 409 from 1.2 (+2 other jobs) worker-8-b',
    );
    expect(text).toContain('requests sent for its jobs: 10:00:00.250 GET /scim/v2/Users 200 from 1.2 worker-8-b');
  });
});
