import jsforce from 'jsforce';
import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  API_VERSION,
  CLIENT_SECRET,
  controlFaults,
  SECURITY_TOKEN,
  loggedIn,
  rejectionOf,
  startFixture,
  userPayload,
} from './emulator-fixture.js';

describe('Salesforce emulator: limits, sessions and injected faults', () => {
  let emulator: SalesforceEmulator;
  const logLines: string[] = [];

  beforeAll(async () => {
    emulator = await startFixture({ log: (line) => logLines.push(line) });
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  const bareConnection = (accessToken: string): jsforce.Connection =>
    new jsforce.Connection({ instanceUrl: emulator.instanceUrl, accessToken, version: API_VERSION });

  it('lists API versions without a session and answers limits with Sforce-Limit-Info', async () => {
    const versions = (await (await fetch(`${emulator.url}/services/data/`)).json()) as { version: string; url: string; label: string }[];
    expect(versions).toContainEqual({ label: "Winter '24", url: '/services/data/v59.0', version: '59.0' });

    const conn = await loggedIn(emulator);
    const response = await fetch(`${emulator.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    const header = response.headers.get('sforce-limit-info');
    expect(header).toMatch(/^api-usage=\d+\/15000$/);
    const used = Number(/api-usage=(\d+)/.exec(header!)![1]);
    expect(used).toBe(emulator.state.apiCallCount());
    const limits = (await response.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 - used });

    await conn.query('SELECT Id FROM Profile');
    expect(conn.limitInfo.apiUsage).toEqual({ used: used + 1, limit: 15000 });
  });

  it('answers 401 INVALID_SESSION_ID for a missing or unknown token', async () => {
    const missing = await fetch(`${emulator.instanceUrl}/services/data/v${API_VERSION}/limits`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const error = await rejectionOf(bareConnection('00Dbogus!token').query('SELECT Id FROM User'));
    expect(error.errorCode).toBe('INVALID_SESSION_ID');
  });

  it('expires every token on demand; a password login signs in again by itself', async () => {
    const conn = await loggedIn(emulator);
    const raw = bareConnection(conn.accessToken!);
    await raw.query('SELECT Id FROM Profile');
    const tokensBefore = emulator.state.tokenRequestCount('password');

    emulator.faults.expireTokens();
    const expired = await rejectionOf(raw.query('SELECT Id FROM Profile'));
    expect(expired.errorCode).toBe('INVALID_SESSION_ID');

    const result = await conn.query('SELECT Id FROM Profile');
    expect(result.totalSize).toBeGreaterThan(0);
    expect(emulator.state.tokenRequestCount('password')).toBe(tokensBefore + 1);
  });

  it('times sessions out after tokenTtlMs of inactivity', async () => {
    const shortLived = await startFixture({ tokenTtlMs: 60 });
    try {
      const conn = await loggedIn(shortLived);
      const raw = new jsforce.Connection({ instanceUrl: shortLived.instanceUrl, accessToken: conn.accessToken!, version: API_VERSION });
      await raw.query('SELECT Id FROM Profile');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await rejectionOf(raw.query('SELECT Id FROM Profile'))).errorCode).toBe('INVALID_SESSION_ID');
    } finally {
      await shortLived.close();
    }
  });

  it('needs one token request for 1,000 creates', async () => {
    const conn = await loggedIn(emulator);
    const tokensBefore = emulator.state.tokenRequestCount();
    const usersBefore = emulator.state.users().length;
    for (let batch = 0; batch < 5; batch++) {
      const records = Array.from({ length: 200 }, () => userPayload(emulator));
      const results = await conn.sobject('User').create(records, { allOrNone: true });
      expect(results.every((r) => r.success)).toBe(true);
    }
    expect(emulator.state.users().length).toBe(usersBefore + 1000);
    expect(emulator.state.tokenRequestCount()).toBe(tokensBefore);
  });

  it('answers REQUEST_LIMIT_EXCEEDED after the injected number of calls, until reset', async () => {
    const conn = await loggedIn(emulator);
    emulator.faults.requestLimitExceededAfter(2);
    await conn.query('SELECT Id FROM Profile');
    await conn.query('SELECT Id FROM Profile');
    const response = await fetch(`${emulator.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect((await rejectionOf(conn.query('SELECT Id FROM Profile'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    emulator.faults.reset();
    await expect(conn.query('SELECT Id FROM Profile')).resolves.toMatchObject({ done: true });
  });

  it('enforces the daily API limit itself', async () => {
    const small = await startFixture({ dailyApiLimit: 2 });
    try {
      const conn = await loggedIn(small);
      await conn.query('SELECT Id FROM Profile');
      await conn.query('SELECT Id FROM Profile');
      expect((await rejectionOf(conn.query('SELECT Id FROM Profile'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    } finally {
      await small.close();
    }
  });

  it('answers a burst of 503 SERVER_UNAVAILABLE, then recovers', async () => {
    const conn = await loggedIn(emulator);
    emulator.faults.failNext(2);
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(conn.sobject('User').create(userPayload(emulator)));
      expect(error.errorCode).toBe('SERVER_UNAVAILABLE');
    }
    const created = await conn.sobject('User').create(userPayload(emulator));
    expect(created.success).toBe(true);
  });

  it('is down for a while: every REST call answers 503 SERVER_UNAVAILABLE until the outage ends', async () => {
    const conn = await loggedIn(emulator);
    const set = await controlFaults(emulator, { failFor: { ms: 400 } });
    expect(((await set.json()) as { failingUntil: string | null }).failingUntil).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) {
      const error = await rejectionOf(conn.sobject('User').create(userPayload(emulator)));
      expect(error.errorCode).toBe('SERVER_UNAVAILABLE');
    }
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await conn.sobject('User').create(userPayload(emulator))).success).toBe(true);
    expect(emulator.faults.snapshot().failingUntil).toBeNull();
  });

  it('is retried transparently by jsforce for GETs (jsforce retries 5xx on idempotent methods)', async () => {
    const conn = await loggedIn(emulator);
    emulator.faults.failNext(1);
    await expect(conn.query('SELECT Id FROM Profile')).resolves.toMatchObject({ done: true });
    expect(emulator.faults.snapshot().pendingFailures).toBe(0);
  });

  it('adds latency to every call', async () => {
    const conn = await loggedIn(emulator);
    emulator.faults.setLatency(150);
    const started = Date.now();
    await conn.query('SELECT Id FROM Profile');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('takes faults and shows state over the control path, without secrets', async () => {
    const conn = await loggedIn(emulator);
    const set = await controlFaults(emulator, { failNext: { count: 1 } });
    expect(await set.json()).toMatchObject({ pendingFailures: 1 });
    const unavailable = await fetch(`${emulator.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toEqual([{ errorCode: 'SERVER_UNAVAILABLE', message: expect.any(String) }]);
    const bad = await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 'slow' }) });
    expect(bad.status).toBe(400);

    const stateText = await (await fetch(`${emulator.url}/__emulator/state`)).text();
    const state = JSON.parse(stateText) as { users: { Username: string }[] };
    expect(state.users.map((u) => u.Username)).toContain(ADMIN_USERNAME);
    for (const secret of [ADMIN_PASSWORD, SECURITY_TOKEN, CLIENT_SECRET, conn.accessToken!]) {
      expect(stateText).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
    }
    expect(logLines.some((line) => line.startsWith('POST /services/oauth2/token 200'))).toBe(true);
  });
});
