import { classifyFailure, classifyTokenFailure } from './salesforce-errors.js';

const auth = { flow: 'password' as const, clientId: 'id', clientSecret: 'sec', username: 'u', password: 'p' };

describe('salesforce error classification', () => {
  const classify = (errorCode: string, status?: number, fields: string[] = [], sentFields?: string[]) =>
    classifyFailure({ errorCode, message: `${errorCode} message`, fields, status }, { action: 'create User', sentFields });

  it.each([
    'REQUIRED_FIELD_MISSING',
    'INVALID_FIELD',
    'FIELD_INTEGRITY_EXCEPTION',
    'INVALID_CROSS_REFERENCE_KEY',
    'STRING_TOO_LONG',
    'INVALID_EMAIL_ADDRESS',
  ])('%s is permanent', (code) => {
    expect(classify(code, 400).kind).toBe('permanent');
    expect(classify(code).kind).toBe('permanent'); // per-record result, no HTTP status
  });

  it('names the fields, and for a dangling lookup the id fields that were sent', () => {
    expect(classify('REQUIRED_FIELD_MISSING', 400, ['LastName', 'Alias']).message).toBe(
      'Salesforce rejected create User: REQUIRED_FIELD_MISSING (fields LastName, Alias): REQUIRED_FIELD_MISSING message',
    );
    expect(classify('INVALID_CROSS_REFERENCE_KEY', 400, [], ['Username', 'ProfileId', 'ManagerId']).message).toContain(
      '(fields ProfileId, ManagerId): an id sent does not exist',
    );
  });

  it('classifies duplicates as conflicts and limits, 5xx and lock errors as transient', () => {
    expect(classify('DUPLICATE_USERNAME', 400).kind).toBe('conflict');
    expect(classify('REQUEST_LIMIT_EXCEEDED', 403).kind).toBe('transient');
    expect(classify('SERVER_UNAVAILABLE', 503).kind).toBe('transient');
    expect(classify('UNABLE_TO_LOCK_ROW').kind).toBe('transient');
    expect(classify('HTTP_502', 502).kind).toBe('transient');
    expect(classify('INSUFFICIENT_ACCESS', 403).kind).toBe('permanent');
  });

  it('keeps Retry-After on transient errors and turns Salesforce HTML breaks into spaces', () => {
    const error = classifyFailure(
      { errorCode: 'SERVER_UNAVAILABLE', message: 'a<br>b', fields: [], status: 503, retryAfterMs: 5000 },
      { action: 'x' },
    );
    expect(error).toMatchObject({ kind: 'transient', retryAfterMs: 5000 });
    expect(error.message).toContain('a b');
  });

  it('makes token endpoint failures actionable, and transient only for 5xx', () => {
    expect(classifyTokenFailure({ error: 'invalid_client', description: 'invalid client credentials' }, auth).message).toContain(
      'auth.clientSecret',
    );
    expect(classifyTokenFailure({ error: 'invalid_client_id', description: 'client identifier invalid' }, auth).message).toContain(
      'auth.clientId',
    );
    expect(classifyTokenFailure({ error: 'invalid_grant', description: 'authentication failure' }, auth).message).toContain(
      'auth.securityToken',
    );
    expect(classifyTokenFailure({ error: 'invalid_grant', description: 'authentication failure' }, auth).kind).toBe('permanent');
    expect(classifyTokenFailure({ error: 'ERROR_HTTP_503', description: '<html>' }, auth).kind).toBe('transient');
  });
});
