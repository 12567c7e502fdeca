import type { NotificationChannel } from '@provisio/core';
import type { Manifest } from '@provisio/core/engine';
import { SmtpChannel } from './smtp-channel.js';
import { WebhookChannel } from './webhook-channel.js';

/** The channels `notifications:` in the manifest asks for: each webhook, and SMTP when configured. */
export function manifestNotificationChannels(manifest: Manifest): NotificationChannel[] {
  const { webhooks, smtp } = manifest.notifications;
  return [...webhooks.map((webhook) => new WebhookChannel(webhook)), ...(smtp ? [new SmtpChannel(smtp)] : [])];
}
