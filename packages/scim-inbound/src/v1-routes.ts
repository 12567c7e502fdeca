import { Router, type Request, type Response } from 'express';
import { route, scimRequest } from './http-adapter.js';
import { endpointOf } from './scim-endpoint.js';
import { readJsonBody } from './request-body.js';
import type { ResourceKind } from './resource-validator.js';
import { notFound } from './scim-error.js';
import { findScim11Schema, scim11Schemas, scim11ServiceProviderConfig } from './scim11-discovery.js';
import { fromScim11, scim11PatchOperations, SCIM11_CORE, toScim11 } from './scim11-translation.js';
import type { ScimRequest, ScimResponse, ScimService } from './scim-service.js';

export interface V1Options {
  bodyLimitBytes: number;
  maxResults: number;
  /** The absolute URL of this 1.1 root for the request's endpoint (…/scim/v1, or an alias such as …/wso2/scim). */
  base: (req: Request, res: Response) => string;
}

const KINDS: [string, ResourceKind][] = [
  ['Users', 'User'],
  ['Groups', 'Group'],
];

/** `/scim/v1`: SCIM 1.1 discovery, Users and Groups over the request's endpoint's service, translated at the edge. */
export function v1Routes(options: V1Options): Router {
  const router = Router({ caseSensitive: false });
  const r = (handler: Parameters<typeof route>[1]) => route('v1', handler);
  const service = (res: Response): ScimService => endpointOf(res).service;
  const body = (req: Request) => readJsonBody(req, options.bodyLimitBytes);
  const ctx = (req: Request, res: Response): ScimRequest => scimRequest(req, res, options.base(req, res));

  router.get(
    '/ServiceProviderConfigs',
    r(async () => ({ status: 200, body: scim11ServiceProviderConfig({ maxResults: options.maxResults }) })),
  );
  router.get(
    '/Schemas',
    r(async (_req, res) => {
      const schemas = scim11Schemas(service(res).schemas);
      return { status: 200, body: { schemas: [SCIM11_CORE], totalResults: schemas.length, Resources: schemas } };
    }),
  );
  router.get(
    '/Schemas/:key',
    r(async (req, res) => {
      const found = findScim11Schema(req.params.key, service(res).schemas);
      if (!found) throw notFound(`no SCIM 1.1 schema ${req.params.key}: use /Schemas/Users or /Schemas/Groups`);
      return { status: 200, body: found };
    }),
  );

  for (const [path, kind] of KINDS) {
    router.get(
      `/${path}`,
      r(async (req, res) => asList(await service(res).list(kind, ctx(req, res), req.query as Record<string, unknown>))),
    );
    router.post(
      `/${path}`,
      r(async (req, res) => asResource(await service(res).create(kind, fromScim11(await body(req)), ctx(req, res)))),
    );
    router.get(
      `/${path}/:id`,
      r(async (req, res) => asResource(await service(res).get(kind, req.params.id, ctx(req, res)))),
    );
    router.put(
      `/${path}/:id`,
      r(async (req, res) => asResource(await service(res).replace(kind, req.params.id, fromScim11(await body(req)), ctx(req, res)))),
    );
    router.patch(
      `/${path}/:id`,
      r(async (req, res) =>
        asResource(
          await service(res).patchWith(kind, req.params.id, scim11PatchOperations(await body(req), kind), {
            ...ctx(req, res),
            wantRepresentation: true,
          }),
        ),
      ),
    );
    router.delete(
      `/${path}/:id`,
      r(async (req, res) => service(res).delete(kind, req.params.id, ctx(req, res))),
    );
  }
  router.use(
    r(async (req) => {
      throw notFound(`no SCIM 1.1 endpoint ${req.method} ${req.path}`);
    }),
  );
  return router;
}

function asResource(response: ScimResponse): ScimResponse {
  return response.body === undefined ? response : { ...response, body: toScim11(response.body as Record<string, unknown>) };
}

function asList(response: ScimResponse): ScimResponse {
  const list = response.body as { totalResults: number; itemsPerPage: number; startIndex: number; Resources: Record<string, unknown>[] };
  return {
    status: 200,
    body: {
      schemas: [SCIM11_CORE],
      totalResults: list.totalResults,
      itemsPerPage: list.itemsPerPage,
      startIndex: list.startIndex,
      Resources: list.Resources.map(toScim11),
    },
  };
}
