/**
 * A value read at most once per `ttlMs`: frequent scrapes (or several Prometheus
 * servers) cost the store one read per interval. Concurrent gets share one read.
 */
export class ScrapeCache<T> {
  private value?: { at: number; value: T };
  private pending?: Promise<T>;

  constructor(
    private readonly ttlMs: number,
    private readonly read: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return this.value.value;
    this.pending ??= this.read()
      .then((value) => {
        this.value = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
