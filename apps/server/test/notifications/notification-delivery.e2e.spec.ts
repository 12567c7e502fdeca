import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { systemClock, type LogFn, type Logger } from '@provisio/core';
import {
  NotificationDispatcher,
  OPERATOR_EVENT_KINDS,
  type OperatorEvent,
  type OperatorEventDetails,
  type OperatorEventKind,
} from '@provisio/core/engine';
import { SmtpChannel } from '../../src/notifications/smtp-channel.js';
import { WebhookChannel } from '../../src/notifications/webhook-channel.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const HOOK_SECRET = 'delivery-hook-secret-7e21c0';
const SMTP_PASSWORD = 'smtp-password-a91f3e';

/** One event of every kind, as the pipeline (and, later, the guard and reconcile) publish them. */
const SAMPLES: { [K in OperatorEventKind]: OperatorEventDetails[K] } = {
  'guard.triggered': { held: 612, threshold: '500', windowSeconds: 3600 },
  'quarantine.entered': {
    reason: 'authentication refused: 20 of 20 calls failed',
    since: '2026-01-01T00:00:00.000Z',
    nextProbeAt: '2026-01-01T00:01:00.000Z',
  },
  'quarantine.left': { by: 'probe', since: '2026-01-01T00:00:00.000Z', probes: 3 },
  'job.failed': {
    count: 1,
    jobs: [{ jobId: '7', entityType: 'user', localId: 'u7', action: 'sync', error: 'Google answered 400 invalid' }],
  },
  'reconcile.drift': { drift: 4, orphans: 2 },
};

function event<K extends OperatorEventKind>(kind: K): OperatorEvent<K> {
  return { kind, severity: 'warning', connectorId: 'google', message: `${kind} happened on google`, details: SAMPLES[kind] };
}

/** A logger that keeps every line, to show what it says (and that no secret is in it). */
function recordingLogger(lines: string[]): Logger {
  const log = ((obj: object | string, msg?: string) => lines.push(JSON.stringify({ obj, msg }))) as LogFn;
  const logger: Logger = { fatal: log, error: log, warn: log, info: log, debug: log, trace: log, child: () => logger };
  return logger;
}

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

async function startSmtpServer(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'provisio' && auth.password === SMTP_PASSWORD) callback(null, { user: 'provisio' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('notification delivery: webhooks and SMTP', () => {
  it('delivers one signed webhook per event kind, and only the kinds a receiver asked for', async () => {
    const all = await startWebhookReceiver(HOOK_SECRET);
    const some = await startWebhookReceiver(HOOK_SECRET);
    const dispatcher = new NotificationDispatcher(
      [
        new WebhookChannel({ url: all.url, secret: HOOK_SECRET }),
        new WebhookChannel({ url: some.url, secret: HOOK_SECRET, events: ['quarantine.entered', 'quarantine.left'] }),
      ],
      systemClock,
      recordingLogger([]),
    );
    try {
      for (const kind of OPERATOR_EVENT_KINDS) dispatcher.publish(event(kind));
      await dispatcher.whenIdle();
      expect(all.received.map((h) => h.kind)).toEqual(OPERATOR_EVENT_KINDS);
      expect(some.received.map((h) => h.kind)).toEqual(['quarantine.entered', 'quarantine.left']);
      for (const hook of [...all.received, ...some.received]) {
        expect(hook.signatureValid).toBe(true);
        expect(hook.body).toMatchObject({ kind: hook.kind, connectorId: 'google', details: SAMPLES[hook.kind as OperatorEventKind] });
        expect(Math.abs(hook.timestamp - Date.now() / 1000)).toBeLessThan(60);
        expect(hook.timestamp).toBe(Math.floor(Date.parse(String(hook.body['at'])) / 1000));
      }
      expect(dispatcher.snapshot()).toEqual({ delivered: OPERATOR_EVENT_KINDS.length + 2, dropped: 0, gaveUp: 0, queued: 0 });
    } finally {
      dispatcher.stop();
      await all.close();
      await some.close();
    }
  });

  it('retries a receiver that fails, with growing delays, and delivers once', async () => {
    const hooks = await startWebhookReceiver(HOOK_SECRET);
    hooks.failNext(2);
    const lines: string[] = [];
    const dispatcher = new NotificationDispatcher(
      [new WebhookChannel({ url: hooks.url, secret: HOOK_SECRET })],
      systemClock,
      recordingLogger(lines),
      {
        retryBaseMs: 50,
      },
    );
    try {
      dispatcher.publish(event('quarantine.entered'));
      await dispatcher.whenIdle();
      expect(hooks.received.map((h) => h.kind)).toEqual(['quarantine.entered']);
      expect(lines.filter((l) => l.includes('will retry'))).toHaveLength(2);
      expect(lines.join('\n')).not.toContain(HOOK_SECRET);
    } finally {
      dispatcher.stop();
      await hooks.close();
    }
  });

  it('never blocks the publisher: beyond the queue bound it drops, logs and counts; a dead receiver is given up after bounded tries', async () => {
    // A receiver that never answers: deliveries pile up behind the first one.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const lines: string[] = [];
    const dispatcher = new NotificationDispatcher([new WebhookChannel({ url })], systemClock, recordingLogger(lines), { maxQueued: 3 });
    try {
      const started = Date.now();
      for (let i = 0; i < 10; i += 1) dispatcher.publish(event('job.failed'));
      expect(Date.now() - started).toBeLessThan(1000);
      // One in flight, three queued, six dropped.
      expect(dispatcher.counts.dropped).toBe(6);
      expect(lines.filter((l) => l.includes('notification queue full'))).toHaveLength(6);
    } finally {
      dispatcher.stop();
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }

    const refused = new NotificationDispatcher([new WebhookChannel({ url })], systemClock, recordingLogger(lines), {
      maxAttempts: 3,
      retryBaseMs: 20,
    });
    refused.publish(event('job.failed'));
    await refused.whenIdle();
    expect(refused.snapshot()).toMatchObject({ delivered: 0, gaveUp: 1, queued: 0 });
    refused.stop();
  });

  it('sends one mail per event kind through SMTP with authentication; a wrong password is reported without the password', async () => {
    const smtp = await startSmtpServer();
    const lines: string[] = [];
    const config = {
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      auth: { user: 'provisio', pass: SMTP_PASSWORD },
      from: 'provisio@example.com',
      to: ['ops@example.com', 'oncall@example.com'],
    };
    const dispatcher = new NotificationDispatcher([new SmtpChannel(config)], systemClock, recordingLogger(lines));
    try {
      for (const kind of OPERATOR_EVENT_KINDS) dispatcher.publish(event(kind));
      await dispatcher.whenIdle();
      expect(smtp.mails).toHaveLength(OPERATOR_EVENT_KINDS.length);
      const kinds = smtp.mails.map((m) => /^X-Provisio-Event: (.+)$/m.exec(m.raw)?.[1]?.trim());
      expect(kinds).toEqual(OPERATOR_EVENT_KINDS);
      for (const mail of smtp.mails) {
        expect(mail.from).toBe('provisio@example.com');
        expect(mail.to).toEqual(['ops@example.com', 'oncall@example.com']);
        expect(mail.raw).toMatch(/^Subject: \[Provisio\] /m);
        expect(mail.raw).toContain('happened on google');
      }
    } finally {
      dispatcher.stop();
    }

    const wrong = new NotificationDispatcher(
      [new SmtpChannel({ ...config, auth: { user: 'provisio', pass: 'not-the-password-55' } })],
      systemClock,
      recordingLogger(lines),
      {
        maxAttempts: 2,
        retryBaseMs: 20,
      },
    );
    try {
      wrong.publish(event('quarantine.entered'));
      await wrong.whenIdle();
      expect(wrong.snapshot()).toMatchObject({ delivered: 0, gaveUp: 1 });
      const log = lines.join('\n');
      expect(log).toContain('gave up a notification');
      expect(log).not.toContain('not-the-password-55');
      expect(log).not.toContain(SMTP_PASSWORD);
    } finally {
      wrong.stop();
      await smtp.close();
    }
  }, 30_000);
});
