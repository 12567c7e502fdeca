import { Router, type Request } from 'express';
import type { Logger } from '@provisio/core';
import { route, scimRequest } from './http-adapter.js';
import { readJsonBody } from './request-body.js';
import type { ResourceKind } from './resource-validator.js';
import { notFound } from './scim-error.js';
import { findScim11Schema, scim11Schemas, scim11ServiceProviderConfig } from './scim11-discovery.js';
import { fromScim11, scim11PatchOperations, SCIM11_CORE, toScim11 } from './scim11-translation.js';
import type { ScimRequest, ScimResponse, ScimService } from './scim-service.js';

export interface V1Options {
  service: ScimService;
  logger: Logger;
  bodyLimitBytes: number;
  maxResults: number;
  /** The absolute URL of this 1.1 root (…/scim/v1, or an alias such as …/wso2/scim). */
  base: (req: Request) => string;
}

const KINDS: [string, ResourceKind][] = [
  ['Users', 'User'],
  ['Groups', 'Group'],
];

/** `/scim/v1`: SCIM 1.1 discovery, Users and Groups over the same service, translated at the edge. */
export function v1Routes(options: V1Options): Router {
  const { service, logger } = options;
  const router = Router({ caseSensitive: false });
  const r = (handler: Parameters<typeof route>[2]) => route('v1', logger, handler);
  const body = (req: Request) => readJsonBody(req, options.bodyLimitBytes);
  const ctx = (req: Request, res: Parameters<typeof scimRequest>[1]): ScimRequest => scimRequest(req, res, options.base(req));

  router.get(
    '/ServiceProviderConfigs',
    r(async () => ({ status: 200, body: scim11ServiceProviderConfig({ maxResults: options.maxResults }) })),
  );
  router.get(
    '/Schemas',
    r(async () => {
      const schemas = scim11Schemas(options.service.schemas);
      return { status: 200, body: { schemas: [SCIM11_CORE], totalResults: schemas.length, Resources: schemas } };
    }),
  );
  router.get(
    '/Schemas/:key',
    r(async (req) => {
      const found = findScim11Schema(req.params.key, options.service.schemas);
      if (!found) throw notFound(`no SCIM 1.1 schema ${req.params.key}: use /Schemas/Users or /Schemas/Groups`);
      return { status: 200, body: found };
    }),
  );

  for (const [path, kind] of KINDS) {
    router.get(
      `/${path}`,
      r(async (req, res) => asList(await service.list(kind, ctx(req, res), req.query as Record<string, unknown>))),
    );
    router.post(
      `/${path}`,
      r(async (req, res) => asResource(await service.create(kind, fromScim11(await body(req)), ctx(req, res)))),
    );
    router.get(
      `/${path}/:id`,
      r(async (req, res) => asResource(await service.get(kind, req.params.id, ctx(req, res)))),
    );
    router.put(
      `/${path}/:id`,
      r(async (req, res) => asResource(await service.replace(kind, req.params.id, fromScim11(await body(req)), ctx(req, res)))),
    );
    router.patch(
      `/${path}/:id`,
      r(async (req, res) =>
        asResource(
          await service.patchWith(kind, req.params.id, scim11PatchOperations(await body(req), kind), {
            ...ctx(req, res),
            wantRepresentation: true,
          }),
        ),
      ),
    );
    router.delete(
      `/${path}/:id`,
      r(async (req, res) => service.delete(kind, req.params.id, ctx(req, res))),
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
