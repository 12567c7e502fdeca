import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { AcknowledgedHistory, driveLoad, RequestRefused, seededRandom, type LoadPlan } from '../src/index.js';

// The load driver against a real SCIM service (the emulator) that loses responses after doing the
// work, as a process killed between its commit and its answer does.
describe('the chaos load driver', () => {
  let scim: ScimEmulator;
  const token = 'load-driver-token';

  beforeAll(async () => {
    scim = await startScimEmulator({ auth: { type: 'bearer', token } });
  });
  afterAll(() => scim.close());
  beforeEach(() => {
    scim.state.reset();
    scim.faults.reset();
  });
  /** The load driver against the emulator, random from `seed`, userNames `<prefix>-<i>@example.com`. */
  const drive = (plan: LoadPlan, seed: number, prefix: string, onPhase?: (phase: string) => void) =>
    driveLoad({ plan, url: async () => scim.url, token, random: seededRandom(seed), prefix, onPhase });

  it('creates, then patches titles, then deletes, and records each acknowledged write once', async () => {
    const history = await drive({ creates: 20, updates: 30, deletes: 5, inFlight: 4 }, 7, 'plain');
    expect(history.count('create')).toBe(20);
    expect(history.count('patch')).toBe(30);
    expect(history.count('delete')).toBe(5);
    expect(history.resentCount()).toBe(0);
    const live = history.all().filter((u) => !AcknowledgedHistory.expected(u).deleted);
    expect(live).toHaveLength(15);
    for (const user of live) expect(scim.state.findUserByUserName(user.userName)?.['title']).toBe(AcknowledgedHistory.expected(user).title);
    expect(scim.state.users()).toHaveLength(15);
  });

  it('resends what got no answer: a create answered 409 was stored, a DELETE answered 404 was applied', async () => {
    scim.faults.dropNextResponses(2);
    const onPhase = (phase: string) => {
      if (phase === 'delete') scim.faults.dropNextResponses(1);
    };
    const history = await drive({ creates: 2, updates: 0, deletes: 1, inFlight: 1 }, 1, 'lost', onPhase);
    // The first create was carried out, then its answer and that of its first resend were lost.
    expect(Object.values(scim.state.userCreateStatuses())).toEqual([[201, 409, 409], [201]]);
    expect(history.resentCount()).toBe(2);
    const deleted = history.all().find((u) => AcknowledgedHistory.expected(u).deleted)!;
    const kept = history.all().find((u) => u !== deleted)!;
    // The first user's create was the resent one.
    expect(deleted.writes.map((w) => [w.op, w.resent])).toEqual([
      ['create', deleted.userName === 'lost-0@example.com'],
      ['delete', true],
    ]);
    expect(scim.state.users().map((u) => u['id'])).toEqual([kept.id]);
  });

  it('fails with the status when the service refuses a write for good', async () => {
    scim.faults.refuseAccount('refused-0@example.com', { status: 400 });
    await expect(drive({ creates: 1, updates: 0, deletes: 0, inFlight: 1 }, 1, 'refused')).rejects.toThrow(RequestRefused);
  });
});
