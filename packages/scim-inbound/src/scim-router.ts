import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '@provisio/core';
import type { IdentityService, ScimSchemasConfig, Store } from '@provisio/core/engine';
import { sendError, type Dialect, type Principal } from './http-adapter.js';
import { parseByteSize } from './request-body.js';
import { endpointOf, serving, type Authenticate, type ScimEndpoint } from './scim-endpoint.js';
import { ScimError } from './scim-error.js';
import { ScimService } from './scim-service.js';
import { ScimSchemas } from './scim-schemas.js';
import { v1Routes } from './v1-routes.js';
import { v2Routes } from './v2-routes.js';

/** What the routes of every endpoint share: the server's limits. */
export interface ScimRouterShape {
  /** Largest request body (and Bulk maxPayloadSize), e.g. "1mb". Default 1mb. */
  bodyLimit?: string | number;
  /** Most resources per list page (ServiceProviderConfig filter.maxResults). Default 200. */
  maxResults?: number;
  /** Bulk maxOperations. Default 1000. */
  bulkMaxOperations?: number;
}

export interface ScimRouterOptions extends ScimRouterShape {
  identities: IdentityService;
  store: Store;
  authenticate: Authenticate;
  logger: Logger;
  /** The manifest's `inbound.scim.schemas`: extension schemas of this server (default: none). */
  schemas?: ScimSchemasConfig;
  /** Public URL of the mount point (…/scim) for Location and meta.location; default: from the request's Host. */
  baseUrl?: string;
}

export type { Authentication, AuthenticationRefusal } from './scim-endpoint.js';
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

/** Inbound SCIM paths that other products use, served beside `inbound.scim.basePath` (`inbound.scim.aliases`). */
type ScimAlias = 'wso2';

/** One alias mount: an absolute path and the SCIM version served there. */
export interface ScimAliasPath {
  path: string;
  dialect: Dialect;
  /** Also read a SCIM 1.1 body (schemas `urn:scim:schemas:core:1.0`) on this 2.0 path. */
  scim11Bodies?: boolean;
}

/**
 * WSO2 Identity Server's paths: `/scim2` (SCIM 2.0) and `/wso2/scim` (SCIM 1.1), and
 * `/wso2/scim2`, the path of the SCIM 1.1 `curl` in WSO2's Salesforce guide, which
 * posts a 1.1 body there: served as 2.0 that also reads 1.1 bodies, so the guide's
 * command works as printed.
 */
export const SCIM_ALIAS_PATHS: Record<ScimAlias, readonly ScimAliasPath[]> = {
  wso2: [
    { path: '/scim2', dialect: 'v2' },
    { path: '/wso2/scim', dialect: 'v1' },
    { path: '/wso2/scim2', dialect: 'v2', scim11Bodies: true },
  ],
};

const dialectOf = (req: Request): Dialect => (/^\/v1(\/|$)/i.test(req.path) ? 'v1' : 'v2');

/** Every request is authenticated (bearer, basic or a JWT) by its endpoint; read-only principals may GET and search. */
function authenticationGate(dialect: (req: Request) => Dialect) {
  const authenticated = async (req: Request, res: Response, next: NextFunction) => {
    const { authenticate, logger } = endpointOf(res);
    const principal = await authenticate(req.headers.authorization, req);
    if (principal && 'status' in principal) {
      return sendError(
        res,
        new ScimError(principal.status, undefined, principal.detail, {
          'WWW-Authenticate': 'Bearer realm="provisio-scim", Basic realm="provisio-scim"',
          ...principal.headers,
        }),
        dialect(req),
        logger,
      );
    }
    if (!principal) {
      return sendError(
        res,
        new ScimError(401, undefined, 'authentication required: send a bearer token or HTTP basic credentials', {
          'WWW-Authenticate': 'Bearer realm="provisio-scim", Basic realm="provisio-scim"',
        }),
        dialect(req),
        logger,
      );
    }
    if (principal.readOnly && !['GET', 'HEAD'].includes(req.method) && !(req.method === 'POST' && READ_ONLY_WRITE.test(req.path))) {
      return sendError(
        res,
        new ScimError(403, undefined, `${principal.name} is read-only: it may only read and search`),
        dialect(req),
        logger,
      );
    }
    res.locals.principal = principal;
    next();
  };
  return (req: Request, res: Response, next: NextFunction) => void authenticated(req, res, next).catch(next);
}

// Express's own failures (a path that is not valid percent-encoding) as SCIM errors, never its HTML stack page.
function expressErrors(dialect: (req: Request) => Dialect) {
  return (error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const clientError = error instanceof URIError || (error.status !== undefined && error.status >= 400 && error.status < 500);
    const shown = clientError ? new ScimError(400, 'invalidSyntax', 'the request URL is not valid') : error;
    sendError(res, shown, dialect(req), endpointOf(res).logger);
  };
}

/** One endpoint of the routes (see ScimEndpoint): its service over `options.identities` and `options.store`. */
function scimEndpoint(options: ScimRouterOptions): ScimEndpoint {
  const service = new ScimService({
    identities: options.identities,
    store: options.store,
    maxResults: options.maxResults ?? 200,
    logger: options.logger,
    schemas: new ScimSchemas(options.schemas),
  });
  return {
    service,
    authenticate: options.authenticate,
    logger: options.logger,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl.replace(/\/$/, '') } : {}),
  };
}

/**
 * The SCIM service provider of one endpoint as an Express 4 handler, to mount at `inbound.scim.basePath` without a
 * JSON body parser: `/v2` (SCIM 2.0) and `/v1` (SCIM 1.1). Every request is authenticated; read-only principals may
 * GET and search. A host serving several endpoints (tenants) shares one set of routes instead: see ScimRouters.
 */
export function scimRouter(options: ScimRouterOptions): RequestHandler {
  return new ScimRouters().serving(options);
}

/** The routes at a base path, for every endpoint: each request is answered for the endpoint `serving` set. */
function scimRoutes(shape: ScimRouterShape): Router {
  const bodyLimitBytes = parseByteSize(shape.bodyLimit ?? '1mb');
  const maxResults = shape.maxResults ?? 200;
  const root = (req: Request, res: Response) =>
    endpointOf(res).baseUrl ?? `${req.protocol}://${requestHost(req)}${req.baseUrl.replace(/\/v[12]$/i, '')}`;
  const router = Router({ caseSensitive: false });

  router.use(authenticationGate(dialectOf));
  router.use(
    '/v2',
    v2Routes({
      bodyLimitBytes,
      maxResults,
      bulkMaxOperations: shape.bulkMaxOperations ?? 1000,
      base: (req, res) => `${root(req, res)}/v2`,
    }),
  );
  router.use('/v1', v1Routes({ bodyLimitBytes, maxResults, base: (req, res) => `${root(req, res)}/v1` }));
  router.use((req, res) =>
    sendError(
      res,
      new ScimError(
        404,
        undefined,
        `no SCIM endpoint ${req.method} ${req.originalUrl.split('?')[0]}: use ${req.baseUrl}/v2 or ${req.baseUrl}/v1`,
      ),
      'v2',
      endpointOf(res).logger,
    ),
  );
  router.use(expressErrors(dialectOf));
  return router;
}

/**
 * One SCIM version at an alias path (see SCIM_ALIAS_PATHS), for every endpoint: the same service, credentials and
 * behaviour as under the base path; Locations name the alias. An endpoint's `baseUrl`, if set, is the public URL of
 * the alias path itself.
 */
function scimAliasRoutes(shape: ScimRouterShape, alias: ScimAliasPath): Router {
  const bodyLimitBytes = parseByteSize(shape.bodyLimit ?? '1mb');
  const maxResults = shape.maxResults ?? 200;
  const base = (req: Request, res: Response) => endpointOf(res).baseUrl ?? `${req.protocol}://${requestHost(req)}${req.baseUrl}`;
  const dialect = () => alias.dialect;
  const router = Router({ caseSensitive: false });
  router.use(authenticationGate(dialect));
  router.use(
    alias.dialect === 'v1'
      ? v1Routes({ bodyLimitBytes, maxResults, base })
      : v2Routes({
          bodyLimitBytes,
          maxResults,
          bulkMaxOperations: shape.bulkMaxOperations ?? 1000,
          base,
          scim11Bodies: alias.scim11Bodies === true,
        }),
  );
  router.use(expressErrors(dialect));
  return router;
}

/**
 * The routes of every endpoint a process serves, built once per base path (or alias) and limits: a host binds one
 * (SCIM_ROUTERS) where every tenant's container finds it, and each tenant's mounts serve its own endpoint through them.
 */
export class ScimRouters {
  private readonly routers = new Map<string, Router>();

  /** The handler of one endpoint (`options`) over the shared routes of its limits, at the base path or `alias`. */
  serving(options: ScimRouterOptions, alias?: ScimAliasPath): RequestHandler {
    return serving(scimEndpoint(options), this.routesOf(options, alias));
  }

  private routesOf(shape: ScimRouterShape, alias: ScimAliasPath | undefined): Router {
    const key = JSON.stringify([shape.bodyLimit, shape.maxResults, shape.bulkMaxOperations, alias?.path ?? null]);
    let router = this.routers.get(key);
    if (!router) {
      router = alias ? scimAliasRoutes(shape, alias) : scimRoutes(shape);
      this.routers.set(key, router);
    }
    return router;
  }
}
