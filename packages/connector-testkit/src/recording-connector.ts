import type { OutboundConnector } from '@provisio/core';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The same iterable, keeping whatever its iteration throws (a listing fails on a later page, not at the call). */
async function* recordingIterable(iterable: AsyncIterable<unknown>, thrown: unknown[]): AsyncGenerator<unknown> {
  try {
    yield* iterable;
  } catch (error) {
    thrown.push(error);
    throw error;
  }
}

/**
 * Wraps a connector so that every error any of its methods throws is kept, and
 * can be checked for secrets once the case is over.
 */
export function recordingConnector(connector: OutboundConnector, thrown: unknown[]): OutboundConnector {
  return new Proxy(connector, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        try {
          const result: unknown = value.apply(target, args);
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              thrown.push(error);
              throw error;
            });
          }
          if (isAsyncIterable(result)) return recordingIterable(result, thrown);
          return result;
        } catch (error) {
          thrown.push(error);
          throw error;
        }
      };
    },
  });
}
