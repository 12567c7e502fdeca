import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  kind: string;
  body: Record<string, unknown> & { kind: string; connectorId?: string; details: Record<string, unknown> };
  /** The X-Provisio-Signature header matched the HMAC-SHA256 of the raw body under the shared secret. */
  signatureValid: boolean;
  timestamp: number;
}

/**
 * A webhook receiver on loopback, checking each delivery's signature the way a real
 * receiver would (HMAC-SHA256 of the raw body, compared in constant time).
 * `failNext(n)` answers the next n deliveries with 503.
 */
export async function startWebhookReceiver(secret: string): Promise<{
  url: string;
  received: ReceivedWebhook[];
  failNext(count: number): void;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-provisio-signature'] ?? ''));
      const body = JSON.parse(raw.toString('utf8')) as ReceivedWebhook['body'];
      received.push({
        kind: String(req.headers['x-provisio-event']),
        body,
        signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
        timestamp: Number(req.headers['x-provisio-timestamp']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/provisio`,
    received,
    failNext: (count) => (failures = count),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
