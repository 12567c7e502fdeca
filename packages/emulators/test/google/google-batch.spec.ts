// The batch endpoint with a hand-built multipart/mixed request sent through the authorized JWT client.
import type { JWT } from 'google-auth-library';
import { MAX_BATCH_PARTS, type GoogleEmulator } from '../../src/google/index.js';
import { ADMIN, startGoogleTestBed, validUser } from './google-test-clients.js';

interface InnerCall {
  id: string;
  method: string;
  path: string;
  body?: unknown;
}

function buildBatch(boundary: string, calls: InnerCall[]): string {
  const parts = calls.map(({ id, method, path, body }) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return (
      `--${boundary}\r\n` +
      'Content-Type: application/http\r\n' +
      `Content-ID: ${id}\r\n\r\n` +
      `${method} ${path} HTTP/1.1\r\n` +
      (body === undefined ? '' : 'Content-Type: application/json\r\n') +
      `\r\n${payload}\r\n`
    );
  });
  return `${parts.join('')}--${boundary}--\r\n`;
}

interface InnerResponse {
  contentId: string;
  status: number;
  body: unknown;
}

function parseBatchResponse(contentType: string, text: string): InnerResponse[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)![1];
  return text
    .split(`--${boundary}`)
    .slice(1)
    .filter((segment) => !segment.startsWith('--'))
    .map((segment) => {
      const text = segment.replace(/^\r\n/, '');
      const headEnd = text.indexOf('\r\n\r\n');
      const partHead = text.slice(0, headEnd);
      const inner = text.slice(headEnd + 4);
      const contentId = /Content-ID: (.*)/.exec(partHead)![1].trim();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(inner)![1]);
      const json = inner.slice(inner.indexOf('\r\n\r\n') + 4).trim();
      return { contentId, status, body: json === '' ? undefined : JSON.parse(json) };
    });
}

describe('Google emulator: batch', () => {
  let emulator: GoogleEmulator;
  let auth: JWT;

  beforeAll(async () => {
    ({ emulator, auth } = await startGoogleTestBed());
  });

  afterAll(async () => {
    await emulator.close();
  });

  const sendBatch = (body: string, boundary: string) =>
    auth.request<string>({
      url: `${emulator.url}/batch/admin/directory_v1`,
      method: 'POST',
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      data: body,
      responseType: 'text',
    });

  it('runs each part as its own call and answers multipart/mixed with response-<id> parts', async () => {
    const callsBefore = emulator.state.callCount;
    const boundary = 'batch_provisio_1';
    const res = await sendBatch(
      buildBatch(boundary, [
        { id: 'item1', method: 'POST', path: '/admin/directory/v1/users', body: validUser('b1@example.com') },
        { id: 'item2', method: 'POST', path: '/admin/directory/v1/users', body: validUser('b2@example.com', { password: 'short' }) },
        { id: 'item3', method: 'POST', path: '/admin/directory/v1/groups', body: { email: 'batch-group@example.com' } },
        {
          id: 'item4',
          method: 'POST',
          path: '/admin/directory/v1/groups/batch-group@example.com/members',
          body: { email: 'b1@example.com' },
        },
        { id: 'item5', method: 'GET', path: '/admin/directory/v1/users/b1@example.com' },
        { id: 'item6', method: 'DELETE', path: '/admin/directory/v1/users/nobody@example.com' },
      ]),
      boundary,
    );
    expect(res.status).toBe(200);
    const contentType = res.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/mixed; boundary=/);
    const parts = parseBatchResponse(contentType, res.data);

    expect(parts.map((p) => [p.contentId, p.status])).toEqual([
      ['response-item1', 200],
      ['response-item2', 400],
      ['response-item3', 200],
      ['response-item4', 200],
      ['response-item5', 200],
      ['response-item6', 404],
    ]);
    expect(parts[0].body).toMatchObject({ kind: 'admin#directory#user', primaryEmail: 'b1@example.com' });
    expect(parts[1].body).toMatchObject({ error: { code: 400, message: 'Invalid Password', errors: [{ reason: 'invalid' }] } });
    expect(parts[5].body).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });
    // Each inner request is a call of its own (and counts against quotas).
    expect(emulator.state.callCount).toBe(callsBefore + 6);
    expect(
      emulator.state
        .calls()
        .slice(-6)
        .every((c) => c.batched && c.subject === ADMIN),
    ).toBe(true);
    expect(emulator.state.members('batch-group@example.com').map((m) => m['email'])).toEqual(['b1@example.com']);
  });

  it('refuses a batch of more than 1000 parts and a body that is not multipart', async () => {
    const boundary = 'too_many';
    const calls = Array.from({ length: MAX_BATCH_PARTS + 1 }, (_, i) => ({
      id: `n${i}`,
      method: 'GET',
      path: '/admin/directory/v1/users/admin@example.com',
    }));
    const callsBefore = emulator.state.callCount;
    const tooMany = await sendBatch(buildBatch(boundary, calls), boundary).catch((e: { status?: number }) => e);
    expect(tooMany.status).toBe(400);
    expect(emulator.state.callCount).toBe(callsBefore);

    const token = (await auth.getAccessToken()).token!;
    const plain = await fetch(`${emulator.url}/batch/admin/directory_v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: { message: string } }).error.message).toBe('Invalid multipart request with 0 mime parts.');
  });

  it('applies the outer Authorization to inner requests, so an unauthenticated batch yields inner 401s', async () => {
    const boundary = 'anon';
    const res = await fetch(`${emulator.url}/batch/admin/directory_v1`, {
      method: 'POST',
      headers: { 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: buildBatch(boundary, [{ id: 'a', method: 'GET', path: '/admin/directory/v1/users/admin@example.com' }]),
    });
    expect(res.status).toBe(200);
    const parts = parseBatchResponse(res.headers.get('content-type')!, await res.text());
    expect(parts).toEqual([expect.objectContaining({ contentId: 'response-a', status: 401 })]);
  });
});
