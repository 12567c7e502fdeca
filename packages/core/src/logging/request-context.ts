import { AsyncLocalStorage } from 'node:async_hooks';

/** What one inbound request carries through everything it causes: log lines, planned jobs. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and every async continuation it starts) as part of the request `context`. */
export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request id of the request this code runs for; undefined outside a request (the worker's loop). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
