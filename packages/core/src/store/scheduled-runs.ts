/**
 * When each scheduled run (a reconcile per connector instance, `reconcile.every`) is next due,
 * kept in the store so that, of several processes sharing it, exactly one takes each run.
 */
export interface ScheduledRuns {
  /**
   * Takes the run `key` when it is due: never taken, due at or before `now`, or due later than
   * `nextAt` (its period was shortened). Moves it to `nextAt` in one statement and returns true;
   * false when it is not due or another process took it first.
   */
  take(key: string, now: number, nextAt: number): Promise<boolean>;
  /** When `key` is next due (epoch ms), or undefined when it was never taken. */
  nextAt(key: string): Promise<number | undefined>;
}

/** The in-memory store's schedules (also the reference the contract cases check the others against). */
export class InMemoryScheduledRuns implements ScheduledRuns {
  private readonly due = new Map<string, number>();

  async take(key: string, now: number, nextAt: number): Promise<boolean> {
    const current = this.due.get(key);
    if (current !== undefined && current > now && current <= nextAt) return false;
    this.due.set(key, nextAt);
    return true;
  }

  async nextAt(key: string): Promise<number | undefined> {
    return this.due.get(key);
  }
}
