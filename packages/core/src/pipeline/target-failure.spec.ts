import { ConflictError, PermanentError, TransientError } from '../errors.js';
import { CallWindow } from './call-window.js';
import { targetFailureOf } from './target-failure.js';

describe('targetFailureOf', () => {
  it.each([
    [new PermanentError('token endpoint: invalid_grant', { remoteCode: 'invalid_grant' }), 'authentication refused'],
    [new PermanentError('unauthorized_client', { remoteCode: 'unauthorized_client' }), 'authentication refused'],
    [new TransientError('401 after a new token', { remoteCode: 401 }), 'authentication refused'],
    [new PermanentError('Salesforce session refused', { remoteCode: 'INVALID_SESSION_ID' }), 'authentication refused'],
    [new PermanentError('403 forbidden', { remoteCode: 403 }), 'permission denied'],
    [new TransientError('no answer', { remoteCode: 'ECONNREFUSED' }), 'target unreachable'],
    [new TransientError('no answer', { remoteCode: 'ETIMEDOUT' }), 'target unreachable'],
  ])('%s → %s', (error, expected) => {
    expect(targetFailureOf(error)).toBe(expected);
  });

  it.each([
    [new PermanentError('400 invalid field', { remoteCode: 400 })],
    [new TransientError('503 backendError', { remoteCode: 503 })],
    [new TransientError('429', { remoteCode: 429 })],
    [new TransientError('403 rate limit is a retry, not a refusal', { remoteCode: 403 })],
    [new ConflictError('duplicate', { remoteCode: 401 })],
    [new PermanentError('no code')],
    [new Error('a bug')],
    ['a string'],
  ])('%s is the job’s business, not the target’s', (error) => {
    expect(targetFailureOf(error)).toBeUndefined();
  });
});

describe('CallWindow', () => {
  it('counts the calls of the window and the most frequent failure, forgetting older ones', () => {
    const window = new CallWindow(10_000);
    window.record(0, 'target unreachable');
    for (let t = 1_000; t < 4_000; t += 1_000) window.record(t, 'authentication refused');
    window.record(4_000, undefined);
    expect(window.summary(5_000)).toEqual({ calls: 5, failed: 4, failure: 'authentication refused' });
    // At 10.5 s the call at 0 s has left the window.
    expect(window.summary(10_500)).toEqual({ calls: 4, failed: 3, failure: 'authentication refused' });
    expect(window.summary(20_000)).toEqual({ calls: 0, failed: 0 });
    window.record(20_000, 'permission denied');
    window.clear();
    expect(window.summary(20_000)).toEqual({ calls: 0, failed: 0 });
  });

  it('is bounded in count: at most 10,000 calls are remembered', () => {
    const window = new CallWindow(60_000);
    for (let i = 0; i < 25_000; i += 1) window.record(1_000, i < 15_000 ? 'target unreachable' : undefined);
    expect(window.summary(1_000)).toEqual({ calls: 10_000, failed: 0 });
  });
});
