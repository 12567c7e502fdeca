import { classifyGoogleFailure, failureOf, type GoogleFailure } from './google-errors.js';

const ctx = {
  serviceAccountEmail: 'sa@p.iam.gserviceaccount.com',
  adminEmail: 'om@mygoogledomain.com',
  scopes: ['https://www.googleapis.com/auth/admin.directory.user'],
};
const headers = (values: Record<string, string>) => new Headers(values);
const apiBody = (code: number, reason: string, message = 'msg') => ({
  error: { code, message, errors: [{ message, domain: 'global', reason }], status: 'X' },
});
const classify = (failure: GoogleFailure) => classifyGoogleFailure(failure, 'users.insert', ctx);

describe('classifyGoogleFailure', () => {
  it.each([
    [409, 'duplicate', 'conflict'],
    [403, 'userRateLimitExceeded', 'transient'],
    [403, 'quotaExceeded', 'transient'],
    [403, 'rateLimitExceeded', 'transient'],
    [429, 'rateLimitExceeded', 'transient'],
    [500, 'backendError', 'transient'],
    [503, 'backendError', 'transient'],
    [400, 'invalid', 'permanent'],
    [400, 'required', 'permanent'],
    [404, 'notFound', 'permanent'],
    [403, 'forbidden', 'permanent'],
    [403, 'insufficientPermissions', 'permanent'],
  ])('%i %s is %s', (status, reason, kind) => {
    expect(classify({ status, body: apiBody(status, reason) }).kind).toBe(kind);
  });

  it("keeps Google's message, which names the field", () => {
    expect(classify({ status: 400, body: apiBody(400, 'invalid', 'Invalid Input: primary_user_email') }).message).toBe(
      'users.insert: Google answered 400 invalid: Invalid Input: primary_user_email',
    );
  });

  it('points 403 Not Authorized and insufficient scopes at delegation, naming the scopes and the admin', () => {
    const message = classify({ status: 403, body: apiBody(403, 'forbidden', 'Not Authorized to access this resource/api') }).message;
    expect(message).toContain('Domain-wide delegation');
    expect(message).toContain('https://www.googleapis.com/auth/admin.directory.user');
    expect(message).toContain('om@mygoogledomain.com is a super administrator');
  });

  it('reads token endpoint errors', () => {
    expect(classify({ status: 401, body: { error: 'unauthorized_client', error_description: 'Client is unauthorized' } })).toMatchObject({
      kind: 'permanent',
      remoteCode: 'unauthorized_client',
    });
    expect(classify({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } }).message).toContain(
      'private key belongs to sa@p.iam.gserviceaccount.com',
    );
    expect(classify({ status: 503, body: { error: 'temporarily_unavailable' } }).kind).toBe('transient');
  });

  it('honours Retry-After in seconds and as a date', () => {
    expect(classify({ status: 429, body: apiBody(429, 'rateLimitExceeded'), headers: headers({ 'retry-after': '12' }) })).toMatchObject({
      retryAfterMs: 12_000,
    });
    const inAMinute = classify({
      status: 503,
      body: apiBody(503, 'backendError'),
      headers: headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }),
    });
    expect((inAMinute as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(55_000);
    expect((inAMinute as { retryAfterMs?: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(
      (classify({ status: 429, body: apiBody(429, 'rateLimitExceeded'), headers: headers({}) }) as { retryAfterMs?: number }).retryAfterMs,
    ).toBeUndefined();
  });

  it('treats no answer as transient', () => {
    expect(classify({ networkCode: 'ECONNREFUSED' })).toMatchObject({ kind: 'transient', remoteCode: 'ECONNREFUSED' });
  });
});

describe('failureOf', () => {
  it('reads a GaxiosError-like value and nothing of its request', () => {
    const error = Object.assign(new Error('x'), {
      config: { headers: { authorization: 'Bearer ya29.secret' } },
      response: { status: 409, data: apiBody(409, 'duplicate'), headers: headers({}) },
    });
    const failure = failureOf(error);
    expect(failure.status).toBe(409);
    expect(JSON.stringify(failure)).not.toContain('ya29');
    expect(failureOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toEqual({ networkCode: 'ECONNREFUSED' });
  });
});
