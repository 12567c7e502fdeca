import { Router, type Request } from 'express';
import type { Logger } from '@provisio/core';
import { route, scimRequest } from './http-adapter.js';
import { readJsonBody } from './request-body.js';
import type { ResourceKind } from './resource-validator.js';
import { notFound } from './scim-error.js';
import { fromScim11, scim11PatchOperations, SCIM11_CORE, toScim11 } from './scim11-translation.js';
import type { ScimRequest, ScimResponse, ScimService } from './scim-service.js';

export interface V1Options {
  service: ScimService;
  logger: Logger;
  bodyLimitBytes: number;
  /** The 2.0 root (…/scim/v2): 1.1 resources are the same identities. */
  base: (req: Request) => string;
}

const KINDS: [string, ResourceKind][] = [
  ['Users', 'User'],
  ['Groups', 'Group'],
];

/** `/scim/v1`: SCIM 1.1 Users and Groups over the same service, translated at the edge. */
export function v1Routes(options: V1Options): Router {
  const { service, logger } = options;
  const router = Router({ caseSensitive: false });
  const r = (handler: Parameters<typeof route>[2]) => route('v1', logger, handler);
  const body = (req: Request) => readJsonBody(req, options.bodyLimitBytes);
  const v1Base = (req: Request) => options.base(req).replace(/\/v2$/, '/v1');
  const ctx = (req: Request, res: Parameters<typeof scimRequest>[1]): ScimRequest => scimRequest(req, res, v1Base(req));

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
