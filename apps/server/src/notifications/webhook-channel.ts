import { createHmac } from 'node:crypto';
import type { Notification, NotificationChannel } from '@provisio/core';
import type { WebhookConfig } from '@provisio/core/engine';

/** Longest one delivery may take; the dispatcher retries after a timeout like after any failure. */
const TIMEOUT_MS = 10_000;

const SIGNATURE_HEADER = 'X-Provisio-Signature';
const TIMESTAMP_HEADER = 'X-Provisio-Timestamp';
const EVENT_HEADER = 'X-Provisio-Event';

/** `sha256=<hex HMAC-SHA256 of the body>`: what a receiver recomputes with the shared secret. */
function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs each notification as JSON. With a secret, the body is signed; the time
 * is in the body (`at`, signed with it) and in a header for receivers that
 * reject old deliveries before parsing.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name: string;
  readonly events?: readonly string[];

  constructor(private readonly config: WebhookConfig) {
    // The origin only: a path or query may carry a token.
    this.name = `webhook ${new URL(config.url).origin}`;
    this.events = config.events;
  }

  async send(notification: Notification): Promise<void> {
    const body = JSON.stringify(notification);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [EVENT_HEADER]: notification.kind,
      [TIMESTAMP_HEADER]: String(Math.floor(Date.parse(notification.at) / 1000)),
    };
    if (this.config.secret) headers[SIGNATURE_HEADER] = webhookSignature(this.config.secret, body);
    let response: Response;
    try {
      response = await fetch(this.config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new Error(`${this.name} did not answer (${code})`);
    }
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${this.name} answered ${response.status}`);
  }
}
