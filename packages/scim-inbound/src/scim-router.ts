import type { IncomingMessage } from 'node:http';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { IdentityService, Logger, Store } from '@provisio/core';
import { sendError, type Principal } from './http-adapter.js';
import { parseByteSize } from './request-body.js';
import { ScimError } from './scim-error.js';
import { ScimService } from './scim-service.js';
import { v1Routes } from './v1-routes.js';
import { v2Routes } from './v2-routes.js';

export interface ScimRouterOptions {
  identities: IdentityService;
  store: Store;
  /**
   * Checks an Authorization header: a Principal, a refusal (the host's own status, message and headers: an invalid
   * token, a missing scope, too many failures), or undefined for a plain 401. `request`: for what the connection
   * proves (a TLS client certificate) and the client's address.
   */
  authenticate: (authorizationHeader: string | undefined, request?: IncomingMessage) => Authentication | Promise<Authentication>;
  logger: Logger;
  /** Largest request body (and Bulk maxPayloadSize), e.g. "1mb". Default 1mb. */
  bodyLimit?: string | number;
  /** Public URL of the mount point (…/scim) for Location and meta.location; default: from the request's Host. */
  baseUrl?: string;
  /** Most resources per list page (ServiceProviderConfig filter.maxResults). Default 200. */
  maxResults?: number;
  /** Bulk maxOperations. Default 1000. */
  bulkMaxOperations?: number;
}

/** Why the host refused a request, answered as a SCIM error with these headers (WWW-Authenticate, Retry-After). */
export interface AuthenticationRefusal {
  status: 401 | 403 | 429 | 503;
  detail: string;
  headers?: Record<string, string>;
}

export type Authentication = Principal | AuthenticationRefusal | undefined;

export type { Principal };

/**
 * The host (and port) the client asked for: X-Forwarded-Host only from a peer the
 * app's "trust proxy" setting believes, as express does for req.protocol; else Host.
 */
function requestHost(req: Request): string {
  const trusted = req.app.get('trust proxy fn') as ((address: string | undefined, hop: number) => boolean) | undefined;
  const forwarded = req.get('x-forwarded-host');
  if (forwarded && trusted?.(req.socket.remoteAddress, 0)) return forwarded.split(',')[0].trim();
  return req.get('host') ?? 'localhost';
}

const READ_ONLY_WRITE = /\/\.search\/?$/;

/**
 * The SCIM service provider as an Express 4 router, to mount at
 * `inbound.scim.basePath` without a JSON body parser: `/v2` (SCIM 2.0) and `/v1`
 * (SCIM 1.1). Every request is authenticated; read-only principals may GET and search.
 */
export function scimRouter(options: ScimRouterOptions): Router {
  const bodyLimitBytes = parseByteSize(options.bodyLimit ?? '1mb');
  const maxResults = options.maxResults ?? 200;
  const service = new ScimService({ identities: options.identities, store: options.store, maxResults, logger: options.logger });
  const base = (req: Request) =>
    `${options.baseUrl?.replace(/\/$/, '') ?? `${req.protocol}://${requestHost(req)}${req.baseUrl.replace(/\/v[12]$/i, '')}`}/v2`;
  const router = Router({ caseSensitive: false });

  const authenticated = async (req: Request, res: Response, next: NextFunction) => {
    const dialect = /^\/v1(\/|$)/i.test(req.path) ? 'v1' : 'v2';
    const principal = await options.authenticate(req.headers.authorization, req);
    if (principal && 'status' in principal) {
      return sendError(
        res,
        new ScimError(principal.status, undefined, principal.detail, {
          'WWW-Authenticate': 'Bearer realm="provisio-scim", Basic realm="provisio-scim"',
          ...principal.headers,
        }),
        dialect,
        options.logger,
      );
    }
    if (!principal) {
      return sendError(
        res,
        new ScimError(401, undefined, 'authentication required: send a bearer token or HTTP basic credentials', {
          'WWW-Authenticate': 'Bearer realm="provisio-scim", Basic realm="provisio-scim"',
        }),
        dialect,
        options.logger,
      );
    }
    if (principal.readOnly && !['GET', 'HEAD'].includes(req.method) && !(req.method === 'POST' && READ_ONLY_WRITE.test(req.path))) {
      return sendError(
        res,
        new ScimError(403, undefined, `${principal.name} is read-only: it may only read and search`),
        dialect,
        options.logger,
      );
    }
    res.locals.principal = principal;
    next();
  };
  router.use((req, res, next) => void authenticated(req, res, next).catch(next));
  router.use(
    '/v2',
    v2Routes({ service, logger: options.logger, bodyLimitBytes, maxResults, bulkMaxOperations: options.bulkMaxOperations ?? 1000, base }),
  );
  router.use('/v1', v1Routes({ service, logger: options.logger, bodyLimitBytes, base }));
  router.use((req, res) =>
    sendError(
      res,
      new ScimError(
        404,
        undefined,
        `no SCIM endpoint ${req.method} ${req.originalUrl.split('?')[0]}: use ${req.baseUrl}/v2 or ${req.baseUrl}/v1`,
      ),
      'v2',
      options.logger,
    ),
  );
  // Express's own failures (a path that is not valid percent-encoding) as SCIM errors, never its HTML stack page.
  router.use((error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const dialect = /^\/v1(\/|$)/i.test(req.path) ? 'v1' : 'v2';
    const clientError = error instanceof URIError || (error.status !== undefined && error.status >= 400 && error.status < 500);
    sendError(res, clientError ? new ScimError(400, 'invalidSyntax', 'the request URL is not valid') : error, dialect, options.logger);
  });
  return router;
}
