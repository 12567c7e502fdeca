import type { Store } from '../src/engine.js';

/**
 * `inner` with every method call passed through `around` (its name, its arguments, and the call itself): a test
 * watches, counts or holds what reaches the store, and the store does the rest.
 */
export function storeAround<S extends Store>(inner: S, around: (name: string, args: unknown[], call: () => unknown) => unknown): S {
  return new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => around(String(name), args, () => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
