import { classifyError } from '../errors.js';
import type { HealthReport, OutboundConnector } from './outbound-connector.js';

/** The connector methods that reach the target (previewUser and close do not). */
const REMOTE_CALLS = new Set<string>([
  'createUser',
  'updateUser',
  'deleteUser',
  'findUser',
  'createGroup',
  'updateGroup',
  'deleteGroup',
  'findGroup',
  'addMembers',
  'removeMembers',
  'provisionBatch',
  'batchLimit',
  'getUser',
  'getGroup',
  'check',
]);

export interface ConnectorCall {
  instanceId: string;
  /** The connector method: createUser, provisionBatch, check... */
  operation: string;
  /** `ok`, or the error's classification. */
  outcome: 'ok' | 'transient' | 'permanent' | 'conflict';
  durationMs: number;
}

/** Sees every remote call of every connector instance (metrics, readiness); must not throw. */
export interface ConnectorObserver {
  callFinished(call: ConnectorCall): void;
  /** A check() answered (or threw: ok false with the error's message). */
  checked(instanceId: string, report: HealthReport, at: number): void;
}

/**
 * The connector as the pipeline uses it, with each remote call timed and its outcome
 * told to `observer`. Results and errors pass through unchanged.
 */
export function observeConnector(instanceId: string, connector: OutboundConnector, observer: ConnectorObserver): OutboundConnector {
  return new Proxy(connector, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof property !== 'string' || !REMOTE_CALLS.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        const started = performance.now();
        const finish = (outcome: ConnectorCall['outcome']) =>
          observer.callFinished({ instanceId, operation: property, outcome, durationMs: performance.now() - started });
        try {
          const result = await method.apply(target, args);
          finish('ok');
          if (property === 'check') observer.checked(instanceId, result as HealthReport, Date.now());
          return result;
        } catch (error) {
          finish(classifyError(error));
          if (property === 'check')
            observer.checked(instanceId, { ok: false, message: (error as Error)?.message ?? String(error) }, Date.now());
          throw error;
        }
      };
    },
  });
}
