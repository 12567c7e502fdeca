import type { OutboundConnector } from '@provisio/core';

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
          return result;
        } catch (error) {
          thrown.push(error);
          throw error;
        }
      };
    },
  });
}
