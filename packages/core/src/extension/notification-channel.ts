/** Something an operator should hear about (a held deletion, a quarantined instance, ...). */
export interface Notification {
  /** Stable, dotted: `connector.quarantined`, `deprovision.held`. */
  kind: string;
  severity: 'info' | 'warning' | 'error';
  /** One line for a human; never a secret. */
  message: string;
  /** ISO 8601 time the event happened. */
  at: string;
  /** The connector instance it concerns, when one. */
  connectorId?: string;
  details?: Readonly<Record<string, unknown>>;
}

/**
 * A way to reach operators (extension point `TOKENS.NotificationChannel`,
 * multi-bound; the manifest's webhooks and SMTP are built in). `send` should not retry for long: the
 * sender logs a failure and goes on, provisioning never waits on a channel.
 */
export interface NotificationChannel {
  /** For logs: `webhook`, `smtp`, `acme-pager`. */
  name: string;
  /** Notification kinds this channel takes (`quarantine.entered`, ...); undefined: every kind. */
  events?: readonly string[];
  send(notification: Notification): Promise<void>;
}
