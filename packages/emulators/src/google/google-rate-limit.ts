// Sliding one-minute window of Directory API queries per impersonated user, like Google's
// "Queries per minute per user" quota.
const WINDOW_MS = 60_000;

export class UserRateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private limitPerMinute: number,
    private readonly now: () => number,
  ) {}

  setLimit(limitPerMinute: number): void {
    this.limitPerMinute = limitPerMinute;
  }

  /** Records one query for `key`; false when the quota for the current minute is already used. */
  tryTake(key: string): boolean {
    const now = this.now();
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (window.length >= this.limitPerMinute) {
      this.windows.set(key, window);
      return false;
    }
    window.push(now);
    this.windows.set(key, window);
    return true;
  }

  reset(): void {
    this.windows.clear();
  }
}
