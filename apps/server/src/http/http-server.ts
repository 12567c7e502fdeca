import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from '@provisio/core';
import type { TlsConfig } from '@provisio/core/engine';
import type { ProvisioMetrics } from '../metrics/provisio-metrics.js';
import { accessLog } from './access-log.js';
import type { ReadinessReport } from './readiness.js';
import { reenterRequestContext, requestIdMiddleware } from './request-id.js';
import { httpsServerOptions, secureContextOptions } from './tls-options.js';

export interface HealthState {
  /** /readyz: each component's state; 200 when ready, else 503. */
  readiness(): Promise<ReadinessReport>;
}

export interface Mount {
  path: string;
  router: RequestHandler;
  /** false: the router parses bodies itself (SCIM answers parse errors in its own error format). */
  parseJson?: boolean;
}

/** Requests counted in `metrics`; GET /metrics served behind `guard` (the admin API's credentials) unless it has its own port. */
interface MetricsEndpoint {
  metrics: ProvisioMetrics;
  guard?: RequestHandler;
}

/** The HTTP surface: health endpoints, then each mounted API (admin, SCIM inbound). */
export interface HttpAppOptions {
  bodyLimit: string;
  mounts: readonly Mount[];
  /** server.trustProxy: which peers' X-Forwarded-Proto/-Host/-For are believed; none by default. */
  trustProxy?: number | readonly string[];
  metrics?: MetricsEndpoint;
}

export function createHttpApp(health: HealthState, logger: Logger, options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Without it, a client could claim any scheme or address; with it, only the named proxies can.
  app.set(
    'trust proxy',
    options.trustProxy === undefined ? false : typeof options.trustProxy === 'number' ? options.trustProxy : [...options.trustProxy],
  );
  app.set('etag', false);
  // First: every later step (logs, SCIM errors, planned jobs) sees the request id.
  app.use(requestIdMiddleware(), accessLog(logger));
  if (options.metrics) app.use(options.metrics.metrics.httpMiddleware());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    health.readiness().then((report) => void res.status(report.status === 'ready' ? 200 : 503).json(report), next);
  });
  if (options.metrics?.guard) app.get('/metrics', options.metrics.guard, exposition(options.metrics.metrics));
  app.use(mountsRouter(options.mounts, options.bodyLimit));
  app.use((_req, res) => {
    res.status(404).json({ error: { status: 404, message: 'not found' } });
  });
  // Never a stack trace to the caller: bad JSON and oversized bodies get their status, anything else a logged 500.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed')
      return void res.status(400).json({ error: { status: 400, message: 'the body is not valid JSON' } });
    if (error.type === 'entity.too.large')
      return void res.status(413).json({ error: { status: 413, message: `the body is larger than ${options.bodyLimit}` } });
    logger.error({ err: error }, 'unhandled error in HTTP handler');
    res.status(500).json({ error: { status: 500, message: 'internal error' } });
  });
  return app;
}

/** Each API at its path, JSON bodies parsed for those that do not parse their own (also a tenant's APIs beneath /t/<domain>). */
export function mountsRouter(mounts: readonly Mount[], bodyLimit: string): Router {
  const router = express.Router();
  for (const mount of mounts) {
    if (mount.parseJson === false) router.use(mount.path, mount.router);
    else
      router.use(
        mount.path,
        express.json({ limit: bodyLimit, type: ['application/json', 'application/*+json'] }),
        reenterRequestContext,
        mount.router,
      );
  }
  return router;
}

function exposition(metrics: ProvisioMetrics): RequestHandler {
  return (_req, res, next) => {
    metrics.exposition().then(({ contentType, body }) => void res.type(contentType).send(body), next);
  };
}

/** server.metricsPort: GET /metrics alone, without credentials (the port is the protection: loopback by default). */
export function createMetricsApp(metrics: ProvisioMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', exposition(metrics));
  app.use((_req, res) => {
    res.status(404).json({ error: { status: 404, message: 'not found: this port serves GET /metrics only' } });
  });
  return app;
}

export interface RunningHttpServer {
  server: Server | HttpsServer;
  url: string;
  /** Serves `tls` to new connections; open ones keep theirs. Only on a server started with TLS. */
  replaceCertificate(tls: TlsConfig): void;
  close(): Promise<void>;
}

/** HTTPS when `tls` is given (server.tls), else plain HTTP. */
export function listen(app: Express, host: string, port: number, tls?: TlsConfig): Promise<RunningHttpServer> {
  const server = tls ? createHttpsServer(httpsServerOptions(tls), app) : createServer(app);
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolvePromise({
        server,
        url: `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
        replaceCertificate: (next) => {
          if (!('setSecureContext' in server)) throw new Error('this server was started without TLS; turning TLS on needs a restart');
          server.setSecureContext(secureContextOptions(next));
        },
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
