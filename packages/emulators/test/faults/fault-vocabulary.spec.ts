// One fault vocabulary: the same JSON body means the same thing to every emulator's control plane,
// and the shared schedule decides what fails, in which order and for how long.
import { startGoogleEmulator } from '../../src/google/index.js';
import { startSalesforceEmulator } from '../../src/salesforce/index.js';
import { startScimEmulator } from '../../src/scim/index.js';
import { FaultSchedule } from '../../src/faults/fault-schedule.js';

interface Started {
  url: string;
  close(): Promise<void>;
}

const EMULATORS: ReadonlyArray<[string, () => Promise<Started>]> = [
  ['salesforce', () => startSalesforceEmulator()],
  ['google', () => startGoogleEmulator({ domains: ['example.com'] })],
  ['scim', () => startScimEmulator()],
];

const post = (url: string, body: unknown) =>
  fetch(`${url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(EMULATORS)('the %s emulator speaks the common fault vocabulary', (_name, start) => {
  let emulator: Started;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  it('takes every common verb in one body and shows them in the common snapshot', async () => {
    const set = await post(emulator.url, {
      latencyMs: 5,
      failNext: { count: 2, status: 503, retryAfterSec: 1 },
      rateLimitNext: { count: 1, retryAfterSec: 2 },
      failFor: { ms: 60_000, status: 500 },
      dropNextResponses: 1,
      refuseAccount: { name: 'Refused@Example.com', status: 403, message: 'not here' },
      expireTokens: true,
    });
    expect(set.status).toBe(200);
    const snapshot = (await set.json()) as Record<string, unknown>;
    expect(snapshot).toMatchObject({ latencyMs: 5, pendingFailures: 3, pendingDrops: 1, refusedAccounts: ['refused@example.com'] });
    expect(typeof snapshot['failingUntil']).toBe('string');

    const cleared = await fetch(`${emulator.url}/__emulator/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toMatchObject({
      latencyMs: 0,
      pendingFailures: 0,
      failingUntil: null,
      pendingDrops: 0,
      refusedAccounts: [],
    });
  });

  it.each([
    [{ failNext: { status: 503 } }, 'failNext.count is required'],
    [{ failNext: { count: 1, status: 200 } }, 'failNext.status must be an HTTP error status (400-599)'],
    [
      { failNext: { count: 1, errorCode: 'X' } },
      'failNext.errorCode is not a known field (known: count, status, retryAfterSec, code, message)',
    ],
    [{ refuseAccount: { name: 'x', status: 500 } }, 'refuseAccount.status must be 400 or 403'],
    [{ latencyMs: 'slow' }, 'latencyMs must be a whole number of milliseconds >= 0'],
    [{ serviceUnavailable: 1 }, /^serviceUnavailable is not a fault setting of this emulator \(known: reset, expireTokens/],
  ])('refuses %j with the exact key', async (body, message) => {
    const refused = await post(emulator.url, body);
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: string };
    if (typeof message === 'string') expect(error).toBe(message);
    else expect(error).toMatch(message);
  });
});

describe('FaultSchedule', () => {
  let clock = 1_000_000;
  const expired: number[] = [];
  const schedule = () => new FaultSchedule({ baseLatencyMs: 7, expireTokens: () => expired.push(clock), now: () => clock });

  it('answers bursts in the order they were queued, then nothing', () => {
    const faults = schedule();
    faults.failNext(2, 503, { retryAfterSec: 1.9 });
    faults.rateLimitNext(1, 3);
    expect([faults.takeFailure(), faults.takeFailure(), faults.takeFailure(), faults.takeFailure()]).toEqual([
      { status: 503, retryAfterSec: 1 },
      { status: 503, retryAfterSec: 1 },
      { status: 429, retryAfterSec: 3 },
      undefined,
    ]);
  });

  it('lets an outage win over queued bursts until it ends by itself', () => {
    const faults = schedule();
    faults.failNext(1, 500);
    faults.failFor(1_000, 503, { code: 'DOWN', message: 'maintenance' });
    expect(faults.takeFailure()).toEqual({ status: 503, code: 'DOWN', message: 'maintenance' });
    clock += 1_000;
    expect(faults.snapshot().failingUntil).toBeNull();
    expect(faults.takeFailure()).toEqual({ status: 500 });
    expect(faults.takeFailure()).toBeUndefined();
  });

  it('drops exactly the asked number of answers, refuses names in any case, and resets to the base latency', () => {
    const faults = schedule();
    faults.dropNextResponses(2);
    expect([faults.takeDrop(), faults.takeDrop(), faults.takeDrop()]).toEqual([true, true, false]);
    faults.refuseAccount('Ada@Example.com', { status: 400 });
    expect(faults.refusalOf('ADA@example.COM')).toEqual({ status: 400 });
    expect(faults.refusalOf(42)).toBeUndefined();
    faults.setLatency(50);
    faults.expireTokens();
    expect(expired).toHaveLength(1);
    faults.reset();
    expect(faults.snapshot()).toEqual({ latencyMs: 7, pendingFailures: 0, failingUntil: null, pendingDrops: 0, refusedAccounts: [] });
  });

  it('bounds what can be queued', () => {
    const faults = schedule();
    faults.failNext(10_000_000);
    expect(faults.snapshot().pendingFailures).toBe(100_000);
  });
});
