import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { MASK } from '@provisio/core';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { consoleRouter } from '../src/console/console-router.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

const ADMIN_TOKEN = 'console-admin-token-0123456789';
const READER_TOKEN = 'console-reader-token-0123456789';
const TARGET_TOKEN = 'console-target-token-0123456789';
const DEFAULT_PASSWORD = 'Default-Pa55word-never-shown';
const actor = { actor: 'scim:test' };

/** The admin API additions the console reads: search with links, preview, provision on demand, throughput, audit; and /console itself. */
describe('admin API for the console', () => {
  let server: InProcessServer;
  let scim: ScimEmulator;
  const api = async <T = Record<string, unknown>>(path: string, init: RequestInit & { token?: string } = {}) => {
    const response = await fetch(`${server.url}/admin/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    return { status: response.status, text, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const faults = (body: unknown) =>
    fetch(`${scim.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    scim = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN } });
    server = await startInProcessServer(
      `${manifestHead({ adminToken: ADMIN_TOKEN, readerToken: READER_TOKEN })}connectors:
  - id: scim-app
    type: scim2
    retry: { maxAttempts: 1 }
    config: { baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${TARGET_TOKEN}" }, defaultPassword: "${DEFAULT_PASSWORD}" }
  - id: staff-only
    type: memory
    scope: title eq "Staff"
    mapping: { userName: userName, title: { from: title, default: none } }
`,
      { prefix: 'provisio-console-api-' },
    );
    await server.runtime.identities.createUser(
      { userName: 'ada@example.com', displayName: 'Ada Lovelace', title: 'Staff', emails: [{ value: 'ada@example.com', primary: true }] },
      actor,
    );
    await server.runtime.identities.createUser({ userName: 'bob@example.com', displayName: 'Bob "the builder"' }, actor);
    await settleJobs(server, { failOnFailed: true });
  });
  afterAll(async () => {
    await server?.stop();
    await scim?.close();
  });

  it('tells the console who signed in and whether they may write', async () => {
    expect((await api('/session')).body).toEqual({ name: 'ops', readOnly: false, tenant: 'carbon.super', superAdmin: true });
    expect((await api('/session', { token: READER_TOKEN })).body).toEqual({
      name: 'auditor',
      readOnly: true,
      tenant: 'carbon.super',
      superAdmin: true,
    });
    expect((await api('/session', { token: 'wrong-token-0123456789' })).status).toBe(401);
  });

  it('finds users by any part of their name or email, each with its link per connector', async () => {
    type Users = {
      totalResults: number;
      users: { id: string; userName: string; links: { connector: string; status: string; remoteId: string | null }[] }[];
    };
    const { body } = await api<Users>('/users?q=lovelace');
    expect(body.totalResults).toBe(1);
    const [ada] = body.users;
    const remote = scim.state.findUserByUserName('ada@example.com');
    expect(ada.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ connector: 'scim-app', status: 'synced', remoteId: remote?.['id'] }),
        expect.objectContaining({ connector: 'staff-only', status: 'synced' }),
      ]),
    );
    // The text is a literal, never filter syntax: quotes match quotes, an injected filter matches nothing.
    expect((await api<Users>('/users?q=%22the%20builder%22')).body.users.map((u) => u.userName)).toEqual(['bob@example.com']);
    expect((await api<Users>(`/users?q=${encodeURIComponent('x" or userName pr or "')}`)).body).toEqual({ totalResults: 0, users: [] });
    expect((await api<Users>('/users?q=builder')).body.users.map((u) => u.userName)).toEqual(['bob@example.com']);
    expect((await api<Users>('/users')).body.totalResults).toBe(2);

    const detail = await api<{ userName: string; links: unknown[]; jobs: { reason: string; status: string }[] }>(`/users/${ada.id}`);
    expect(detail.body.userName).toBe('ada@example.com');
    expect(detail.body.links).toHaveLength(2);
    expect(detail.body.jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect((await api('/users/no-such-user')).status).toBe(404);
  });

  it('finds groups with their links', async () => {
    const ada = (await api<{ users: { id: string }[] }>('/users?q=ada')).body.users[0];
    await server.runtime.identities.createGroup({ displayName: 'Engineering', members: [{ value: ada.id }] }, actor);
    await settleJobs(server, { failOnFailed: true });
    const { body } = await api<{
      groups: { id: string; displayName: string; members: number; links: { connector: string; status: string }[] }[];
    }>('/groups?q=engin');
    expect(body.groups).toEqual([
      expect.objectContaining({
        displayName: 'Engineering',
        members: 1,
        links: expect.arrayContaining([expect.objectContaining({ connector: 'scim-app', status: 'synced' })]),
      }),
    ]);
    expect((await api(`/groups/${body.groups[0].id}`)).status).toBe(200);
    expect((await api('/groups/nope')).status).toBe(404);
  });

  it('previews the exact SCIM request, with the password masked, and says when a user is out of scope', async () => {
    type Preview = {
      operation: string;
      inScope: boolean;
      attributes: Record<string, unknown> | null;
      requests: { method: string; path: string; body: Record<string, unknown> }[] | null;
      createRequests: { method: string; path: string; body: Record<string, unknown> }[] | null;
    };
    const ada = await api<Preview>('/connectors/scim-app/preview?user=ada@example.com');
    expect(ada.status).toBe(200);
    expect(ada.body.operation).toBe('none');
    expect(ada.body.requests).toEqual([]);
    const [create] = ada.body.createRequests ?? [];
    expect(create).toMatchObject({
      method: 'POST',
      path: `${scim.baseUrl2}/Users`,
      body: { userName: 'ada@example.com', displayName: 'Ada Lovelace', password: MASK },
    });
    expect(ada.text).not.toContain(DEFAULT_PASSWORD);

    const bob = await api<Preview>('/connectors/staff-only/preview?user=bob@example.com');
    expect(bob.body).toMatchObject({ inScope: false, operation: 'out of scope', requests: null });
    expect((await api('/connectors/staff-only/preview?user=nobody')).status).toBe(404);
    expect((await api('/connectors/staff-only/preview')).status).toBe(400);
    expect((await api('/connectors/nope/preview?user=ada@example.com')).status).toBe(404);
  });

  it('provisions on demand step by step: the target’s refusal, then success once it heals', async () => {
    await faults({ refuseAccount: { name: 'carol@example.com', status: 400, message: 'Emulated refusal of carol' } });
    await server.runtime.identities.createUser({ userName: 'carol@example.com' }, actor);
    await settleJobs(server);
    type Result = {
      outcome: string;
      steps: { step: string; status: string; detail: string }[];
      job: { id: string; status: string } | null;
    };

    const refused = await api<Result>('/connectors/scim-app/provision', {
      method: 'POST',
      body: JSON.stringify({ user: 'carol@example.com' }),
    });
    expect(refused.status).toBe(200);
    expect(refused.body.outcome).toBe('failed');
    expect(refused.body.steps.map((s) => `${s.step}: ${s.status}`)).toEqual([
      'Find the user: ok',
      'Check scope: ok',
      'Map attributes: ok',
      'Look up the link: ok',
      'Queue a sync job: ok',
      'Send to the target: failed',
    ]);
    expect(refused.body.steps[5].detail).toContain('Emulated refusal of carol');

    await faults({ reset: true });
    const healed = await api<Result>('/connectors/scim-app/provision', {
      method: 'POST',
      body: JSON.stringify({ user: 'carol@example.com' }),
    });
    expect(healed.body.outcome).toBe('succeeded');
    expect(healed.body.steps.at(-1)).toMatchObject({
      step: 'Update the link',
      status: 'ok',
      detail: `remote id ${scim.state.findUserByUserName('carol@example.com')?.['id']}`,
    });

    const outOfScope = await api<Result>('/connectors/staff-only/provision', {
      method: 'POST',
      body: JSON.stringify({ user: 'carol@example.com' }),
    });
    expect(outOfScope.body).toMatchObject({ outcome: 'skipped', job: null });
    expect((await api('/connectors/scim-app/provision', { method: 'POST', body: '{}' })).status).toBe(400);
    expect(
      (
        await api('/connectors/scim-app/provision', {
          method: 'POST',
          body: JSON.stringify({ user: 'carol@example.com' }),
          token: READER_TOKEN,
        })
      ).status,
    ).toBe(403);
  });

  it('counts finished attempts per minute, succeeded and failed, over the last hour', async () => {
    type Throughput = { buckets: { minute: string; succeeded: number; failed: number; retried: number }[]; truncated: boolean };
    const { body } = await api<Throughput>('/throughput');
    expect(body.buckets).toHaveLength(60);
    expect(body.truncated).toBe(false);
    const sum = body.buckets.reduce((t, b) => ({ succeeded: t.succeeded + b.succeeded, failed: t.failed + b.failed }), {
      succeeded: 0,
      failed: 0,
    });
    const jobs = (await api<{ jobs: { history: { outcome?: string }[] }[] }>('/jobs?limit=1000')).body.jobs.flatMap((j) => j.history);
    expect(sum.succeeded).toBe(jobs.filter((h) => h.outcome === 'succeeded').length);
    expect(sum.failed).toBe(jobs.filter((h) => h.outcome === 'failed').length);
    expect(sum.failed).toBeGreaterThanOrEqual(2);
    expect((await api<Throughput>('/throughput?minutes=5')).body.buckets).toHaveLength(5);
  });

  it('lists the audit trail newest first with paging, including what operators did', async () => {
    type Audit = { entries: { seq: number; actor: string; action: string }[]; next: number | null };
    const first = await api<Audit>('/audit?limit=2');
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0].seq).toBeGreaterThan(first.body.entries[1].seq);
    const older = await api<Audit>(`/audit?limit=100&before=${first.body.next}`);
    expect(older.body.entries[0].seq).toBeLessThan(first.body.entries[1].seq);
    const all = (await api<Audit>('/audit?limit=1000')).body.entries;
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'admin:ops', action: 'provision-on-demand' }),
        expect.objectContaining({ actor: 'scim:test', action: 'user.create' }),
      ]),
    );
    expect((await api('/audit?before=abc')).status).toBe(400);
  });

  it('documents the new endpoints in its OpenAPI description', async () => {
    const spec = (await (await fetch(`${server.url}/admin/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/session',
        '/users',
        '/users/{id}',
        '/groups',
        '/groups/{id}',
        '/connectors/{id}/preview',
        '/connectors/{id}/provision',
        '/throughput',
      ]),
    );
  });

  it('serves the console with a strict content security policy, answering index.html for client routes', async () => {
    const index = await fetch(`${server.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/https?:\/\//);
    const deep = await fetch(`${server.url}/console/some/client/route`);
    expect(await deep.text()).toBe(html);
    const asset = html.match(/src="(\/console\/assets\/[^"]+\.js)"/)?.[1];
    const script = await fetch(`${server.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/console/assets/missing.js`)).status).toBe(404);
  });

  it('names a user in lists by displayName, else name.formatted, else given and family name', async () => {
    const made = await Promise.all([
      server.runtime.identities.createUser({ userName: 'grace@example.com', name: { givenName: 'Grace', familyName: 'Hopper' } }, actor),
      server.runtime.identities.createUser({ userName: 'kim@example.com', name: { familyName: 'Paul' } }, actor),
      server.runtime.identities.createUser({ userName: 'lin@example.com', name: { formatted: 'Dr. Lin', givenName: 'Lin' } }, actor),
      server.runtime.identities.createUser({ userName: 'nobody@example.com' }, actor),
    ]);
    type Users = { users: { userName: string; name: string | null; displayName: string | null }[] };
    const { body } = await api<Users>('/users?q=example.com');
    const byUserName = Object.fromEntries(body.users.map((u) => [u.userName, u.name]));
    expect(byUserName).toMatchObject({
      'ada@example.com': 'Ada Lovelace',
      'grace@example.com': 'Grace Hopper',
      'kim@example.com': 'Paul',
      'lin@example.com': 'Dr. Lin',
      'nobody@example.com': null,
    });
    const grace = await api<{ name: string | null; displayName: string | null }>(`/users/${made[0].resource.id}`);
    expect(grace.body).toMatchObject({ name: 'Grace Hopper', displayName: null });
    await settleJobs(server);
  });

  it('says clearly when the console was not built', async () => {
    const app = express().use('/console', consoleRouter(mkdtempSync(join(tmpdir(), 'no-console-'))));
    const listener = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    try {
      const { port } = listener.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/console/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('nx run console:build');
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
