import type { Clock } from '../clock.js';

/** Token bucket: `perSecond` sustained, up to `burst` at once. */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }

  /** The most operations that can ever start at once (the burst). */
  get capacity(): number {
    return this.burst;
  }

  /** Whole operations that may start now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  take(count = 1): void {
    this.refill();
    this.tokens -= count;
  }

  /** Milliseconds until `count` more operations (at most the burst) may start at once. */
  waitMs(count = 1): number {
    this.refill();
    const needed = Math.min(count, this.burst);
    return this.tokens >= needed ? 0 : Math.ceil(((needed - this.tokens) / this.perSecond) * 1000);
  }
}
