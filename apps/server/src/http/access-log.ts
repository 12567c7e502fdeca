import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger as PinoLogger } from 'pino';
import type { Logger } from '@provisio/core';
import { routeTemplate } from './route-template.js';

/**
 * One line per request when its response is finished: method, route template, status,
 * duration, request id and remote address. Never headers (Authorization), bodies or
 * the query string (a filter may hold personal data, a misused client a token).
 */
export function accessLog(logger: Logger) {
  // Taken when the request arrives: by the time a refused upload's response finishes, its socket may be gone.
  const addresses = new WeakMap<IncomingMessage, string | undefined>();
  const line = (req: IncomingMessage, res: ServerResponse, durationMs: number) => ({
    method: req.method,
    route: routeTemplate(req as Request),
    status: res.statusCode,
    durationMs,
    remoteAddress: addresses.get(req),
  });
  const log = pinoHttp({
    logger: logger as unknown as PinoLogger,
    // The request-id middleware ran first and set req.id.
    genReqId: (req) => String((req as { id?: unknown }).id ?? ''),
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // The per-request logger binds only the request id: nothing of the request itself.
    quietReqLogger: true,
    quietResLogger: true,
    customSuccessObject: (req, res, value: { durationMs?: number }) => line(req, res, value.durationMs ?? 0),
    customErrorObject: (req, res, _error, value: { durationMs?: number }) => line(req, res, value.durationMs ?? 0),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    addresses.set(req, remoteAddressOf(req));
    log(req, res, next);
  };
}

/** The client's address (through server.trustProxy); undefined rather than a throw when the socket is already closed. */
function remoteAddressOf(req: Request): string | undefined {
  try {
    return req.ip ?? req.socket?.remoteAddress;
  } catch {
    return undefined;
  }
}
