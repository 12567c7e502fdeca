import { isStoreUnavailableError } from '@provisio/core/engine';
import { storageFailure } from './storage-failure.js';

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storageFailure', () => {
  it.each(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN'])(
    'turns %s into StoreUnavailableError, keeping the cause',
    (code) => {
      const cause = sqliteError(code, 'disk I/O error');
      const mapped = storageFailure(cause);
      expect(isStoreUnavailableError(mapped)).toBe(true);
      expect((mapped as Error).message).toContain(code);
      expect((mapped as Error).cause).toBe(cause);
    },
  );

  it('leaves every other error alone', () => {
    const unique = sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed');
    expect(storageFailure(unique)).toBe(unique);
    const plain = new Error('boom');
    expect(storageFailure(plain)).toBe(plain);
    expect(storageFailure(undefined)).toBeUndefined();
  });
});
