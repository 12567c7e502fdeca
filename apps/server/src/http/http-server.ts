import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@provisio/core';

export interface HealthState {
  /** False until every component is up, and again while shutting down. */
  ready(): boolean;
}

/** The HTTP surface: health endpoints now; SCIM inbound and the admin API mount here. */
export function createHttpApp(health: HealthState, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (health.ready()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'starting' });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Never a stack trace to the caller.
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error }, 'unhandled error in HTTP handler');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

export interface RunningHttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export function listen(app: Express, host: string, port: number): Promise<RunningHttpServer> {
  const server = createServer(app);
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolvePromise({
        server,
        url: `http://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would hold close() open until they time out.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
