/**
 * The three outcomes a connector can report besides success. The worker's retry
 * policy acts on them: transient → retry with backoff, permanent → failed at once,
 * conflict → find the existing remote account and link it.
 *
 * Recognised by a tag, not by `instanceof`: a third-party connector may bundle its
 * own copy of @provisio/core, and its errors must still be understood.
 */
const KIND = Symbol.for('provisio.errorKind');

export type ProvisioningErrorKind = 'transient' | 'permanent' | 'conflict';

export interface ProvisioningErrorOptions {
  cause?: unknown;
  /** HTTP status or remote error code, for the job's record. */
  remoteCode?: string | number;
}

export abstract class ProvisioningError extends Error {
  readonly [KIND]: ProvisioningErrorKind;
  readonly remoteCode?: string | number;

  protected constructor(kind: ProvisioningErrorKind, message: string, options: ProvisioningErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this[KIND] = kind;
    this.remoteCode = options.remoteCode;
  }

  get kind(): ProvisioningErrorKind {
    return this[KIND];
  }
}

/** Worth retrying: network errors, 5xx, 429, expired sessions. */
export class TransientError extends ProvisioningError {
  override readonly name = 'TransientError';
  /** The remote asked us to wait this long (Retry-After). */
  readonly retryAfterMs?: number;
  constructor(message: string, options: ProvisioningErrorOptions & { retryAfterMs?: number } = {}) {
    super('transient', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Retrying cannot help: validation errors, missing permissions. Needs a human. */
export class PermanentError extends ProvisioningError {
  override readonly name: string = 'PermanentError';
  constructor(message: string, options: ProvisioningErrorOptions = {}) {
    super('permanent', message, options);
  }
}

/** The remote account already exists (duplicate username): link it instead of creating a twin. */
export class ConflictError extends ProvisioningError {
  override readonly name = 'ConflictError';
  readonly existingRemoteId?: string;
  constructor(message: string, options: ProvisioningErrorOptions & { existingRemoteId?: string } = {}) {
    super('conflict', message, options);
    this.existingRemoteId = options.existingRemoteId;
  }
}

const NOT_FOUND = Symbol.for('provisio.remoteNotFound');

/**
 * An update or read addressed a remote id the target no longer has (deleted there, behind
 * Provisio's back). Permanent for the call, but the pipeline re-plans a create for it
 * (per the instance's `reconcile.missing`) instead of leaving the job failed.
 */
export class RemoteNotFoundError extends PermanentError {
  override readonly name = 'RemoteNotFoundError';
  readonly [NOT_FOUND] = true;
  constructor(message: string, options: ProvisioningErrorOptions = {}) {
    super(message, options);
  }
}

export function isRemoteNotFoundError(error: unknown): error is RemoteNotFoundError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[NOT_FOUND] === true;
}

function kindOf(error: unknown): ProvisioningErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const kind = (error as Record<symbol, unknown>)[KIND];
  return kind === 'transient' || kind === 'permanent' || kind === 'conflict' ? kind : undefined;
}

export function isTransientError(error: unknown): error is TransientError {
  return kindOf(error) === 'transient';
}

export function isPermanentError(error: unknown): error is PermanentError {
  return kindOf(error) === 'permanent';
}

export function isConflictError(error: unknown): error is ConflictError {
  return kindOf(error) === 'conflict';
}

/**
 * How the pipeline treats any thrown value. An error a connector did not classify
 * is treated as transient: retrying a bug a few times costs little, while calling
 * it permanent could strand an operation that a retry would have completed.
 */
export function classifyError(error: unknown): ProvisioningErrorKind {
  return kindOf(error) ?? 'transient';
}
