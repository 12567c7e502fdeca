import type { Notification, NotificationChannel } from '../extension/notification-channel.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import type { OperatorEvent, OperatorEventKind } from './operator-events.js';

export interface NotificationDispatcherOptions {
  /** Deliveries waiting at most; more are dropped (logged and counted). */
  maxQueued?: number;
  /** Tries per delivery before it is given up (logged). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Delivery {
  channel: NotificationChannel;
  notification: Notification;
  attempt: number;
}

export interface DispatcherCounts {
  delivered: number;
  dropped: number;
  gaveUp: number;
  queued: number;
}

/**
 * Hands operator events to the channels without ever making the pipeline wait:
 * `publish` only queues. A bounded queue (drops beyond it are logged and counted),
 * one delivery at a time, each retried with doubling delays a bounded number of times.
 */
export class NotificationDispatcher {
  private readonly queue: Delivery[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private pumping = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private retrying = 0;
  readonly counts = { delivered: 0, dropped: 0, gaveUp: 0 };

  constructor(
    private readonly channels: readonly NotificationChannel[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: NotificationDispatcherOptions = {},
  ) {}

  get channelCount(): number {
    return this.channels.length;
  }

  snapshot(): DispatcherCounts {
    return { ...this.counts, queued: this.queue.length + this.retrying };
  }

  /** Queues the event for every channel that takes its kind; returns at once. */
  readonly publish = <K extends OperatorEventKind>(event: OperatorEvent<K>): void => {
    if (this.stopped) return;
    const notification: Notification = {
      kind: event.kind,
      severity: event.severity,
      message: event.message,
      at: new Date(this.clock.now()).toISOString(),
      ...(event.connectorId === undefined ? {} : { connectorId: event.connectorId }),
      details: event.details as unknown as Record<string, unknown>,
    };
    for (const channel of this.channels) {
      if (channel.events && !channel.events.includes(event.kind)) continue;
      this.enqueue({ channel, notification, attempt: 1 });
    }
  };

  private enqueue(delivery: Delivery): void {
    if (this.queue.length + this.retrying >= (this.options.maxQueued ?? 1000)) {
      this.counts.dropped += 1;
      this.logger.warn(
        { channel: delivery.channel.name, kind: delivery.notification.kind, dropped: this.counts.dropped },
        'notification queue full; dropped a notification',
      );
      return;
    }
    this.queue.push(delivery);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let delivery = this.queue.shift(); delivery && !this.stopped; delivery = this.queue.shift()) await this.deliver(delivery);
    } finally {
      this.pumping = false;
      this.notifyIdle();
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { channel, notification, attempt } = delivery;
    try {
      await channel.send(notification);
      this.counts.delivered += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.stopped) return;
      if (attempt >= (this.options.maxAttempts ?? 6)) {
        this.counts.gaveUp += 1;
        this.logger.error({ channel: channel.name, kind: notification.kind, attempts: attempt, error: message }, 'gave up a notification');
        return;
      }
      const base = this.options.retryBaseMs ?? 1000;
      const delay = Math.min(this.options.retryMaxMs ?? 5 * 60_000, base * 2 ** (attempt - 1));
      this.logger.warn(
        { channel: channel.name, kind: notification.kind, attempt, retryInMs: delay, error: message },
        'notification not delivered; will retry',
      );
      this.retrying += 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.retrying -= 1;
        if (this.stopped) return;
        this.queue.push({ ...delivery, attempt: attempt + 1 });
        void this.pump();
      }, delay);
      timer.unref?.();
      this.timers.add(timer);
    }
  }

  /** Resolves when nothing is queued or waiting for a retry (tests, graceful stop). */
  whenIdle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0 && this.retrying === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    if (this.pumping || this.queue.length > 0 || this.retrying > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Drops what is still queued (logged); deliveries in progress finish. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    const left = this.queue.length + this.retrying;
    this.queue.length = 0;
    this.retrying = 0;
    this.timers.clear();
    if (left > 0) this.logger.warn({ notifications: left }, 'stopped with notifications undelivered');
    this.notifyIdle();
  }
}
