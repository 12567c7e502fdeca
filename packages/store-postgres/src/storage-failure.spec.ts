import { isStoreConflictError, isStoreUnavailableError, StoreConflictError } from '@provisio/core/engine';
import { storageFailure } from './storage-failure.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storageFailure', () => {
  it.each([
    ['08006', 'connection failure'],
    ['53100', 'could not extend file: No space left on device'],
    ['53300', 'sorry, too many clients already'],
    ['57P01', 'terminating connection due to administrator command'],
    ['25006', 'cannot execute INSERT in a read-only transaction'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
  ])('turns %s into StoreUnavailableError, keeping the cause', (code, message) => {
    const error = withCode(message, code);
    const mapped = storageFailure(error);
    expect(isStoreUnavailableError(mapped)).toBe(true);
    expect((mapped as Error).message).toContain(message);
    expect((mapped as Error).cause).toBe(error);
  });

  it('recognises pg’s own words for a lost connection', () => {
    expect(isStoreUnavailableError(storageFailure(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isStoreUnavailableError(storageFailure(new Error('timeout exceeded when trying to connect')))).toBe(true);
  });

  it('leaves every other error as it is', () => {
    const unique = withCode('duplicate key value violates unique constraint', '23505');
    expect(storageFailure(unique)).toBe(unique);
    const conflict = new StoreConflictError('version', 'x', 'user', 'u1');
    expect(isStoreConflictError(storageFailure(conflict))).toBe(true);
    expect(storageFailure('text')).toBe('text');
  });
});
