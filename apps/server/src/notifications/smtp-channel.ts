import nodemailer, { type Transporter } from 'nodemailer';
import type { Notification, NotificationChannel } from '@provisio/core';
import type { SmtpConfig } from '@provisio/core/engine';

/** One mail per notification, to every `to` address. */
export class SmtpChannel implements NotificationChannel {
  readonly name: string;
  readonly events?: readonly string[];
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.name = `smtp ${config.host}:${config.port}`;
    this.events = config.events;
    this.transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // Its own logger stays off: it could print the AUTH exchange.
      logger: false,
    });
  }

  async send(notification: Notification): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        subject:
          `[Provisio] ${notification.kind}${notification.connectorId ? ` ${notification.connectorId}` : ''}: ${notification.message}`.slice(
            0,
            200,
          ),
        text: mailText(notification),
        headers: { 'X-Provisio-Event': notification.kind },
      });
    } catch (error) {
      // nodemailer's message names the server and the SMTP answer, never the password.
      throw new Error(`${this.name}: ${(error as Error).message}`);
    }
  }
}

function mailText(notification: Notification): string {
  return [
    notification.message,
    '',
    `Event:     ${notification.kind} (${notification.severity})`,
    `At:        ${notification.at}`,
    ...(notification.connectorId ? [`Connector: ${notification.connectorId}`] : []),
    '',
    JSON.stringify(notification.details ?? {}, null, 2),
    '',
  ].join('\n');
}
