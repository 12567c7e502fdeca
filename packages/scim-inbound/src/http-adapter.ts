import type { NextFunction, Request, Response } from 'express';
import { type Logger } from '@provisio/core';
import { currentRequestId } from '@provisio/core/engine';
import { endpointOf } from './scim-endpoint.js';
import { ScimError, toScimError, v1ErrorBody, v2ErrorBody } from './scim-error.js';
import type { ScimRequest, ScimResponse } from './scim-service.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export interface Principal {
  name: string;
  readOnly: boolean;
}

export type Dialect = 'v2' | 'v1';

export function send(res: Response, response: ScimResponse): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.status(response.status);
  if (response.body === undefined) res.end();
  else res.setHeader('Content-Type', SCIM_CONTENT_TYPE).end(JSON.stringify(response.body));
}

export function sendError(res: Response, error: unknown, dialect: Dialect, logger: Logger): void {
  const scimError = toScimError(error);
  if (scimError.status >= 500 && scimError.status !== 502 && scimError.status !== 501) logger.error({ err: error }, 'SCIM request failed');
  if (res.headersSent) return void res.end();
  const shown = withRequestId(scimError);
  send(res, {
    status: shown.status,
    headers: shown.headers,
    body: dialect === 'v1' ? v1ErrorBody(shown) : v2ErrorBody(shown),
  });
}

/** The detail names the request id (see the server's request-id middleware): what an operator greps the logs for. */
function withRequestId(error: ScimError): ScimError {
  const requestId = currentRequestId();
  if (requestId === undefined) return error;
  return new ScimError(error.status, error.scimType, `${error.detail} (request id ${requestId})`, error.headers);
}

/** The SCIM request context of an authenticated Express request. */
export function scimRequest(req: Request, res: Response, base: string): ScimRequest {
  const principal = res.locals.principal as Principal;
  return {
    actor: `scim:${principal.name}`,
    base,
    params: req.query as Record<string, unknown>,
    ifMatch: req.header('if-match'),
    ifNoneMatch: req.header('if-none-match'),
    wantRepresentation: /return=representation/i.test(req.header('prefer') ?? ''),
  };
}

/** Wraps an async route so every failure becomes a SCIM error body in the route's dialect (logged by the endpoint's logger). */
export function route(dialect: Dialect, handler: (req: Request, res: Response) => Promise<ScimResponse>) {
  return (req: Request, res: Response, _next: NextFunction): void => {
    handler(req, res).then(
      (response) => send(res, response),
      (error: unknown) => sendError(res, error, dialect, endpointOf(res).logger),
    );
  };
}

export const notImplemented = (what: string) => new ScimError(501, undefined, what);
