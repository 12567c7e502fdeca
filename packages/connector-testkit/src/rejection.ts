import { AssertionError } from 'node:assert';

/** The error `promise` rejects with; an assertion failure when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new AssertionError({ message: `${what} succeeded, but it must fail (a connector never reports success on an error)` });
}

/** Name and message of a thrown value, for assertion messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
