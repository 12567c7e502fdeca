import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const fsyncFile = promisify(fsync);
const closeFile = promisify(close);

/**
 * fsync of the database's write-ahead log on libuv's thread pool, shared by the commits that ask while one runs.
 * The group commit writes a batch's frames without syncing (synchronous NORMAL for that transaction) and answers
 * its writers once a sync that began after the batch's COMMIT has finished: then every frame of the batch, its
 * commit frame included, is on disk, as `synchronous = FULL` would have left it, but the event loop goes on
 * serving requests (and committing the next batch) while the disk works, instead of waiting in fsync.
 */
export class WalSync {
  private fd: Promise<number> | undefined;
  /** The sync under way, and the one that will start after it (which covers everything written meanwhile). */
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the log before this call is durable. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // The one running may have begun before the caller's frames were written: they need the next one.
    this.next ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  /** No sync under way or waiting: nobody waits for the log to reach the disk. */
  get idle(): boolean {
    return this.running === undefined && this.next === undefined;
  }

  /** Resolves once no sync is under way or waiting (their commits are answered). */
  async settled(): Promise<void> {
    // Bounded: the store closes once its writers have stopped, so no new sync keeps arriving.
    for (let round = 0; round < 100 && !this.idle; round += 1) await Promise.allSettled([this.running, this.next]);
  }

  /** Waits for the syncs under way, then lets go of the file. */
  async close(): Promise<void> {
    await this.settled();
    const fd = this.fd;
    this.fd = undefined;
    if (fd) await closeFile(await fd).catch(() => undefined);
  }

  private start(): Promise<void> {
    this.next = undefined;
    // r+: some systems refuse fsync on a descriptor opened for reading only.
    this.fd ??= openFile(this.walPath, 'r+').catch((error: unknown) => {
      this.fd = undefined; // the next sync tries again
      throw error;
    });
    const fd = this.fd;
    const run = fd.then((descriptor) => fsyncFile(descriptor));
    this.running = run;
    const done = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(done, done);
    return run;
  }
}
