import type { Database as Db, Transaction } from 'better-sqlite3';
import type { CommitReceipt, IdentityWrite } from '@provisio/core/engine';
import { storageFailure } from './storage-failure.js';
import type { WalSync } from './wal-sync.js';

/** How long a write may wait for others to share its fsync, when writes are arriving back to back. */
const GROUP_COMMIT_WINDOW_MS = 1;

/** One write as a tenant's view applies it, inside the group's transaction. */
export type ApplyWrite = (write: IdentityWrite, now: number) => CommitReceipt;

interface PendingCommit {
  write: IdentityWrite;
  apply: ApplyWrite;
  resolve: (receipt: CommitReceipt) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same turn of the event loop share
 * one transaction and one fsync. Each runs in its own savepoint, so one
 * write's conflict rolls back that write only; every caller is answered
 * after the COMMIT, i.e. only once its write is durable. The tenant views of
 * a file share one: each write carries its view's `apply`.
 *
 * With `walSync` (synchronous FULL on a file), the COMMIT writes the log without syncing it and the
 * batch is answered once WalSync has synced the log on the thread pool: the next batch is built and
 * committed while the disk works, and batches committed during one sync share the next.
 */
export class GroupCommit {
  private readonly pending: PendingCommit[] = [];
  private lastFlushEnded = -Infinity;
  private lastBatchSize = 0;
  /** One write as a nested transaction (a savepoint inside the group commit). */
  private readonly applyWrite: Transaction<(apply: ApplyWrite, write: IdentityWrite, now: number) => CommitReceipt>;

  constructor(
    private readonly db: Db,
    private readonly walSync?: WalSync,
  ) {
    this.applyWrite = db.transaction((apply: ApplyWrite, write: IdentityWrite, now: number) => apply(write, now));
  }

  commit(write: IdentityWrite, apply: ApplyWrite): Promise<CommitReceipt> {
    return new Promise<CommitReceipt>((resolve, reject) => {
      this.pending.push({ write, apply, resolve, reject });
      if (this.pending.length !== 1) return;
      // Under concurrent load (the last flush just ended and carried several writes) wait a moment so
      // that more writes share the fsync. A lone sequential writer never waits: its batches are of one.
      if (this.lastBatchSize > 1 && performance.now() - this.lastFlushEnded < GROUP_COMMIT_WINDOW_MS)
        setTimeout(() => this.flush(), GROUP_COMMIT_WINDOW_MS);
      else setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    this.lastBatchSize = batch.length;
    try {
      this.flushBatch(batch);
    } finally {
      this.lastFlushEnded = performance.now();
    }
  }

  private flushBatch(batch: PendingCommit[]): void {
    const errors: unknown[] = [];
    const receipts: CommitReceipt[] = [];
    try {
      this.withoutOwnSync(() =>
        this.db
          .transaction(() => {
            for (const item of batch) {
              try {
                // A nested transaction is a savepoint: it undoes just this write on error.
                receipts.push(this.applyWrite.default(item.apply, item.write, Date.now()));
                errors.push(undefined);
              } catch (error) {
                receipts.push({ trippedGuards: [] });
                errors.push(error);
              }
            }
          })
          .immediate(),
      );
    } catch (error) {
      // The COMMIT itself failed (disk full, read-only file): nothing of the batch is durable.
      for (const item of batch) item.reject(storageFailure(error));
      return;
    }
    const answer = () =>
      batch.forEach((item, index) =>
        errors[index] === undefined ? item.resolve(receipts[index]) : item.reject(storageFailure(errors[index])),
      );
    if (!this.walSync) return answer();
    this.walSync.sync().then(answer, (error: unknown) => {
      // Committed but not known to be on disk: no writer is told it is durable (it may still be read back).
      for (const item of batch) item.reject(storageFailure(error));
    });
  }

  /** The batch's COMMIT without its fsync, which WalSync does off the event loop; the connection's level after it. */
  private withoutOwnSync(commit: () => void): void {
    if (!this.walSync) return commit();
    this.db.pragma('synchronous = NORMAL');
    try {
      commit();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }
}
