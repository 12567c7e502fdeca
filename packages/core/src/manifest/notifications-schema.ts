import { z } from 'zod';
import { OPERATOR_EVENT_KINDS, type OperatorEventKind } from '../notifications/operator-events.js';
import { durationSchema } from './duration-schema.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const eventsSchema = z
  .array(z.enum(OPERATOR_EVENT_KINDS as [OperatorEventKind, ...OperatorEventKind[]]))
  .min(1)
  .optional()
  .describe(`Events this receiver gets (default all): ${OPERATOR_EVENT_KINDS.join(', ')}.`);

/** https only, but for a receiver on this machine: a signed body over plain http to another host is still readable on the way. */
const webhookUrlSchema = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  ctx.addIssue({ code: 'custom', message: 'must be an https:// URL (plain http:// only to a loopback host: 127.0.0.1, ::1, localhost)' });
});

const webhookSchema = z.strictObject({
  url: webhookUrlSchema.describe('Receiver; https, or http to a loopback host.'),
  secret: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Signs each body: X-Provisio-Signature: sha256=<hex HMAC-SHA256>. Prefer ${env:NAME}.'),
  events: eventsSchema,
});

const emailSchema = z.email({ message: 'must be an email address like ops@example.com' });

const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.'),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1).describe('Prefer ${env:NAME}.') }).optional(),
  from: emailSchema,
  to: z.union([emailSchema, z.array(emailSchema).min(1)]).transform((to) => (Array.isArray(to) ? to : [to])),
  events: eventsSchema,
});

export const notificationsSchema = z.strictObject({
  webhooks: z.array(webhookSchema).default([]),
  smtp: smtpSchema.optional(),
  batchInterval: durationSchema(1000)
    .prefault('5m')
    .describe('Failed jobs of an instance are told in one message per this interval (default 5m).'),
});

export type NotificationsConfig = z.output<typeof notificationsSchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;
export type SmtpConfig = z.output<typeof smtpSchema>;
