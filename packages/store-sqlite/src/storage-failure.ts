import { StoreUnavailableError } from '@provisio/core/engine';

/** SQLite's "cannot write here" result codes (extended codes start with these). */
const CANNOT_WRITE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

/**
 * SQLite's storage failures as the store port's StoreUnavailableError (callers answer
 * "try again later", not "internal error"); any other error is returned unchanged.
 */
export function storageFailure(error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !CANNOT_WRITE.test(code)) return error;
  return new StoreUnavailableError(
    `the database cannot be written (${code}: ${(error as Error).message}): the disk may be full or the file or volume read-only`,
    { cause: error },
  );
}
