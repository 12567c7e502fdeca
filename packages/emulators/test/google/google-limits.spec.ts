// Per-user quota (403 userRateLimitExceeded), injected 503/429 faults and latency, and the HTTP control plane.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { JWT } from 'google-auth-library';
import type { GoogleEmulator } from '../../src/google/index.js';
import { ADMIN, captureError, startGoogleTestBed } from './google-test-clients.js';

describe('Google emulator: quotas and faults', () => {
  let emulator: GoogleEmulator;
  let directory: admin_directory_v1.Admin;
  let auth: JWT;
  let clock = Date.now();

  beforeAll(async () => {
    ({ emulator, auth, directory } = await startGoogleTestBed({ userRateLimitPerMinute: 5, projectNumber: '424242', now: () => clock }));
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    // A fresh minute for every test, so quota use does not leak between them.
    clock += 61_000;
    emulator.faults.reset();
  });

  it('answers 403 userRateLimitExceeded after the per-user quota, until the minute has passed', async () => {
    for (let i = 0; i < 5; i++) await directory.users.get({ userKey: ADMIN });
    const error = await captureError(() => directory.users.get({ userKey: ADMIN }));
    expect(error.status).toBe(403);
    expect(error.body).toEqual({
      error: {
        code: 403,
        message:
          "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:424242'.",
        errors: [
          {
            message:
              "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:424242'.",
            domain: 'usageLimits',
            reason: 'userRateLimitExceeded',
          },
        ],
        status: 'PERMISSION_DENIED',
      },
    });
    clock += 60_001;
    expect((await directory.users.get({ userKey: ADMIN })).status).toBe(200);
  });

  it('counts each inner request of a batch against the quota', async () => {
    const boundary = 'quota';
    const part = `--${boundary}\r\nContent-Type: application/http\r\n\r\nGET /admin/directory/v1/users/${ADMIN}\r\n\r\n`;
    const res = await auth.request<string>({
      url: `${emulator.url}/batch/admin/directory_v1`,
      method: 'POST',
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      data: `${part.repeat(7)}--${boundary}--\r\n`,
      responseType: 'text',
    });
    const statuses = [...res.data.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 403, 403]);
  });

  it('injects 503 backendError bursts; googleapis retries a GET through them', async () => {
    emulator.faults.failNext(2);
    const callsBefore = emulator.state.callCount;
    const res = await directory.users.get({ userKey: ADMIN });
    expect(res.status).toBe(200);
    expect(
      emulator.state
        .calls()
        .slice(callsBefore - emulator.state.callCount)
        .map((c) => c.status),
    ).toEqual([503, 503, 200]);

    emulator.faults.failNext(1);
    const error = await captureError(() => directory.users.insert({ requestBody: { primaryEmail: 'x@example.com' } }, { retry: false }));
    expect(error.status).toBe(503);
    expect(error.reason).toBe('backendError');
    expect((error.body as { error: { status: string } }).error.status).toBe('UNAVAILABLE');
  });

  it('is down for a while: every call answers 503 backendError until the outage ends, over HTTP too', async () => {
    const set = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ failFor: { ms: 30_000, status: 503, retryAfterSec: 2 } }),
    });
    expect(await set.json()).toMatchObject({ failingUntil: new Date(clock + 30_000).toISOString() });
    for (let i = 0; i < 3; i++) {
      const error = await captureError(() => directory.users.get({ userKey: ADMIN }, { retry: false }));
      expect(error.status).toBe(503);
      expect(error.headers?.get('retry-after')).toBe('2');
    }
    clock += 30_000;
    expect((await directory.users.get({ userKey: ADMIN })).status).toBe(200);
    expect(emulator.faults.snapshot().failingUntil).toBeNull();
  });

  it('injects 429 rateLimitExceeded with Retry-After', async () => {
    emulator.faults.rateLimitNext(1, 7);
    const error = await captureError(() => directory.users.get({ userKey: ADMIN }, { retry: false }));
    expect(error.status).toBe(429);
    expect(error.reason).toBe('rateLimitExceeded');
    expect(error.headers?.get('retry-after')).toBe('7');
    expect((await directory.users.get({ userKey: ADMIN })).status).toBe(200);
  });

  it('adds latency to answers', async () => {
    emulator.faults.setLatency(150);
    const started = performance.now();
    await directory.users.get({ userKey: ADMIN });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('exposes faults and state over /__emulator without secrets', async () => {
    const set = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: { count: 1, status: 500 } }),
    });
    expect(await set.json()).toMatchObject({ pendingFailures: 1 });
    const error = await captureError(() => directory.users.get({ userKey: ADMIN }, { retry: false }));
    expect(error.status).toBe(500);

    const state = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as {
      users: Array<{ primaryEmail: string }>;
      apiCalls: number;
      tokenRequests: number;
    };
    expect(state.users.map((u) => u.primaryEmail)).toContain(ADMIN);
    expect(state.apiCalls).toBe(emulator.state.callCount);
    expect(state.tokenRequests).toBeGreaterThan(0);
    expect(JSON.stringify(state)).not.toMatch(/ya29\.|"password"/);

    await fetch(`${emulator.url}/__emulator/faults`, { method: 'DELETE' });
    expect(emulator.faults.snapshot().pendingFailures).toBe(0);
  });
});
