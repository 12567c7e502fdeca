import type { GroupPayload, OutboundConnector, RemoteRef, UserLookup, UserPayload } from '@provisio/core';
import type { ConformanceFixture, ConformanceOptions } from '../conformance-options.js';

/** What one case runs with: a fresh fixture, its connector wrapped to record thrown errors. */
export interface CaseContext<F extends ConformanceFixture = ConformanceFixture> {
  fixture: F;
  connector: OutboundConnector;
  options: ConformanceOptions<F>;
  /** `options.sampleUser` with a process-unique `n`. */
  nextUser(): UserPayload;
  /** `options.sampleGroup` (or the default group payload) with a process-unique name. */
  nextGroup(): GroupPayload;
  /** A value the case itself handed to the connector (a password) that must not leak either. */
  addSecret(secret: string): void;
}

export type ConformanceCaseId =
  | 'create-find'
  | 'find-missing'
  | 'update'
  | 'duplicate-create-conflict'
  | 'deprovision'
  | 'reactivate'
  | 'password'
  | 'groups-lifecycle'
  | 'groups-membership'
  | 'lost-response'
  | 'transient-503'
  | 'transient-429'
  | 'permanent-400'
  | 'permanent-403'
  | 'network-transient'
  | 'check-ok'
  | 'check-unreachable'
  | 'read-get'
  | 'read-paging'
  | 'read-page-boundary'
  | 'read-empty'
  | 'read-deleted-between-pages'
  | 'read-groups';

export interface ConformanceCase {
  id: ConformanceCaseId;
  title: string;
  /** Why the case cannot run with these options (a hook or capability is missing), or undefined. */
  skipReason(options: ConformanceOptions<never>): string | undefined;
  run<F extends ConformanceFixture>(ctx: CaseContext<F>): Promise<void>;
}

export function lookupOf(payload: UserPayload): UserLookup {
  return {
    localId: payload.localId,
    accountName: payload.accountName,
    externalId: payload.user.externalId,
    attributes: payload.attributes,
  };
}

/** Creates the next sample user on the target: the payload sent and the ref createUser answered. */
export async function createNextUser(
  connector: OutboundConnector,
  nextUser: () => UserPayload,
): Promise<{ payload: UserPayload; ref: RemoteRef }> {
  const payload = nextUser();
  return { payload, ref: await connector.createUser(payload) };
}

/** The hook a case needs; its skipReason already made sure it is there. */
export function hook<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`conformance case needs ${name}, which the options do not provide`);
  return value;
}
