import { StoreUnavailableError } from '@provisio/core/engine';

/**
 * SQLSTATE classes and codes that mean "the database cannot take this now", not
 * "this request is wrong": connection exceptions (08), insufficient resources such
 * as a full disk or too many connections (53), operator intervention such as a
 * shutdown or a restart (57P01–57P03), and a read-only server (25006, a standby).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53)|^57P0[1-3]$|^25006$/;
/** Node's socket errors, and pg's own words for a lost or impossible connection. */
const UNAVAILABLE_NODE_CODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is not open/i;

/**
 * PostgreSQL's unavailability as the store port's StoreUnavailableError (callers answer
 * "try again later", not "internal error"); any other error is returned unchanged.
 */
export function storageFailure(error: unknown): unknown {
  // Duck-typed: socket errors may come from another realm (Node's own), where instanceof Error fails.
  if (typeof error !== 'object' || error === null || typeof (error as { message?: unknown }).message !== 'string') return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODE.has(code))) ||
    UNAVAILABLE_MESSAGE.test((error as Error).message);
  if (!unavailable) return error;
  return new StoreUnavailableError(
    `the database is unavailable (${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message})`,
    { cause: error },
  );
}
