import { PermanentError, throwIfRemoteCallAborted, TransientError, type Clock } from '@provisio/core';
import type { MemoryConfig } from './memory-config.js';
import type { MemoryAccount } from './memory-directory.js';

/** What every call to the memory target goes through: the configured latency and failures, and account lookups. */
export class MemorySession {
  private transientFailuresLeft: number;

  constructor(
    private readonly config: MemoryConfig,
    private readonly instanceId: string,
    private readonly clock: Clock,
  ) {
    this.transientFailuresLeft = config.failTransiently;
  }

  /**
   * Waits the configured latency, then fails as configured (permanently, or the next N calls transiently).
   * Like a request, a call whose `signal` (the job's lease deadline) aborted meanwhile does not reach the directory.
   */
  async enter(signal?: AbortSignal): Promise<void> {
    if (this.config.latencyMs > 0) await this.clock.sleep(this.config.latencyMs, signal);
    throwIfRemoteCallAborted(signal);
    if (this.config.failPermanently) throw new PermanentError(this.config.failPermanently, { remoteCode: 400 });
    if (this.transientFailuresLeft > 0) {
      this.transientFailuresLeft -= 1;
      throw new TransientError('memory target is told to fail transiently', { remoteCode: 503 });
    }
  }

  existing(accounts: Map<string, MemoryAccount>, remoteId: string, kind: string): MemoryAccount {
    const account = accounts.get(remoteId);
    if (!account) throw new PermanentError(`${kind} ${remoteId} does not exist in memory target ${this.instanceId}`, { remoteCode: 404 });
    return account;
  }
}
