import {
  ConflictError,
  PermanentError,
  TransientError,
  classifyError,
  isConflictError,
  isPermanentError,
  isTransientError,
} from './errors.js';

describe('provisioning errors', () => {
  it('classifies each error class by its kind', () => {
    expect(classifyError(new TransientError('503 from target', { retryAfterMs: 2000 }))).toBe('transient');
    expect(classifyError(new PermanentError('REQUIRED_FIELD_MISSING: LastName'))).toBe('permanent');
    expect(classifyError(new ConflictError('DUPLICATE_USERNAME', { existingRemoteId: '005x' }))).toBe('conflict');
  });

  it('treats errors a connector did not classify as transient', () => {
    expect(classifyError(new Error('socket hang up'))).toBe('transient');
    expect(classifyError('a string')).toBe('transient');
    expect(classifyError(undefined)).toBe('transient');
  });

  it('recognises errors from another copy of core by their tag, not instanceof', () => {
    // What an error thrown by a plugin bundling its own core looks like to us.
    const foreign = Object.assign(new Error('rate limited'), { [Symbol.for('provisio.errorKind')]: 'transient', retryAfterMs: 500 });
    expect(isTransientError(foreign)).toBe(true);
    expect(isPermanentError(foreign)).toBe(false);
    expect(foreign instanceof TransientError).toBe(false);
  });

  it('keeps retry-after, remote code and existing remote id', () => {
    const transient = new TransientError('429', { retryAfterMs: 1500, remoteCode: 429 });
    expect(transient.retryAfterMs).toBe(1500);
    expect(transient.remoteCode).toBe(429);
    expect(transient.name).toBe('TransientError');
    const conflict = new ConflictError('exists', { existingRemoteId: 'abc' });
    expect(isConflictError(conflict)).toBe(true);
    expect(conflict.existingRemoteId).toBe('abc');
  });
});
