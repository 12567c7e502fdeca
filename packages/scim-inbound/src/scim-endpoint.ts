import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@provisio/core';
import type { Principal } from './http-adapter.js';
import type { ScimService } from './scim-service.js';

/** Why the host refused a request, answered as a SCIM error with these headers (WWW-Authenticate, Retry-After). */
export interface AuthenticationRefusal {
  status: 401 | 403 | 429 | 503;
  detail: string;
  headers?: Record<string, string>;
}

export type Authentication = Principal | AuthenticationRefusal | undefined;

/**
 * Checks an Authorization header: a Principal, a refusal (the host's own status, message and headers: an invalid
 * token, a missing scope, too many failures), or undefined for a plain 401. `request`: for what the connection
 * proves (a TLS client certificate) and the client's address.
 */
export type Authenticate = (authorizationHeader: string | undefined, request?: IncomingMessage) => Authentication | Promise<Authentication>;

/**
 * What differs between the SCIM endpoints one router serves (each tenant's): whose identities it reads and writes,
 * whose credentials it takes, and its public URL. The routes themselves are built once and find the endpoint on the
 * request, so a hundred tenants share one router: one set of handlers for V8 to optimise and one route table to walk.
 */
export interface ScimEndpoint {
  service: ScimService;
  authenticate: Authenticate;
  logger: Logger;
  /** Public URL of the mount point (…/scim, or an alias path); undefined: from the request's Host. */
  baseUrl?: string;
}

const ENDPOINT = 'scimEndpoint';

/** `router`, serving `endpoint`: the handler a host mounts for one endpoint. */
export function serving(endpoint: ScimEndpoint, router: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals[ENDPOINT] = endpoint;
    router(req, res, next);
  };
}

/** The endpoint `serving` set for this request. */
export const endpointOf = (res: Response): ScimEndpoint => res.locals[ENDPOINT] as ScimEndpoint;
