import { Router, type Request, type Response } from 'express';
import { runBulk } from './bulk.js';
import { notImplemented, route, scimRequest } from './http-adapter.js';
import { endpointOf } from './scim-endpoint.js';
import { readJsonBody } from './request-body.js';
import { isPlainObject, type ResourceKind } from './resource-validator.js';
import { badRequest, notFound } from './scim-error.js';
import { discoveryDocuments } from './scimmy-registry.js';
import { fromScim11, isScim11Resource } from './scim11-translation.js';
import { LIST_RESPONSE_SCHEMA, type ScimResponse, type ScimService } from './scim-service.js';

export interface V2Options {
  bodyLimitBytes: number;
  maxResults: number;
  bulkMaxOperations: number;
  /** The absolute URL of this 2.0 root for the request's endpoint (…/scim/v2, or an alias such as …/scim2). */
  base: (req: Request, res: Response) => string;
  /** Read a SCIM 1.1 resource body (schemas `urn:scim:schemas:core:1.0`) as its 2.0 equivalent (the WSO2 guide's path). */
  scim11Bodies?: boolean;
}

const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const KINDS: [string, ResourceKind][] = [
  ['Users', 'User'],
  ['Groups', 'Group'],
];

const list = (resources: unknown[]): ScimResponse => ({
  status: 200,
  body: {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  },
});

/** `/scim/v2`: RFC 7644 endpoints, over the service of the request's endpoint (see scim-endpoint). */
export function v2Routes(options: V2Options): Router {
  const router = Router({ caseSensitive: false });
  const r = (handler: Parameters<typeof route>[1]) => route('v2', handler);
  const service = (res: Response) => endpointOf(res).service;
  const ctx = (req: Request, res: Response) => scimRequest(req, res, options.base(req, res));
  const body = (req: Request) => readJsonBody(req, options.bodyLimitBytes);
  const resourceBody = async (req: Request) => {
    const read = await body(req);
    return options.scim11Bodies && isScim11Resource(read) ? fromScim11(read) : read;
  };
  const discovery = (req: Request, res: Response) =>
    discoveryDocuments(options.base(req, res), {
      maxResults: options.maxResults,
      bulkMaxOperations: options.bulkMaxOperations,
      bulkMaxPayloadSize: options.bodyLimitBytes,
      schemas: service(res).schemas,
    });

  router.get(
    '/ServiceProviderConfig',
    r(async (req, res) => ({ status: 200, body: (await discovery(req, res)).serviceProviderConfig })),
  );
  // Each discovery collection is listed whole and served one entry at a time by id.
  const collections: [path: string, noun: string, entries: (d: Awaited<ReturnType<typeof discovery>>) => { id: string }[]][] = [
    ['/ResourceTypes', 'resource type', (d) => d.resourceTypes],
    ['/Schemas', 'schema', (d) => d.schemas],
  ];
  for (const [path, noun, entries] of collections) {
    router.get(
      path,
      r(async (req, res) => list(entries(await discovery(req, res)))),
    );
    router.get(
      `${path}/:id`,
      r(async (req, res) => {
        const found = entries(await discovery(req, res)).find((e) => e.id === req.params.id);
        if (!found) throw notFound(`no ${noun} ${req.params.id}`);
        return { status: 200, body: found };
      }),
    );
  }
  router.all(
    ['/Me', '/Me/*'],
    r(async () => {
      throw notImplemented(
        '/Me is not supported: SCIM clients of Provisio authenticate as services, not as users (RFC 7644 §3.11 allows 501)',
      );
    }),
  );
  router.post(
    '/Bulk',
    r(async (req, res) => runBulk(service(res), await body(req), ctx(req, res), options.bulkMaxOperations)),
  );
  router.post(
    '/.search',
    r(async (req, res) => searchAll(service(res), await body(req), ctx(req, res))),
  );

  for (const [path, kind] of KINDS) {
    router.get(
      `/${path}`,
      r(async (req, res) => service(res).list(kind, ctx(req, res), req.query as Record<string, unknown>)),
    );
    router.post(
      `/${path}/.search`,
      r(async (req, res) => service(res).list(kind, ctx(req, res), searchParams(await body(req)))),
    );
    router.post(
      `/${path}`,
      r(async (req, res) => service(res).create(kind, await resourceBody(req), ctx(req, res))),
    );
    router.get(
      `/${path}/:id`,
      r(async (req, res) => service(res).get(kind, req.params.id, ctx(req, res))),
    );
    router.put(
      `/${path}/:id`,
      r(async (req, res) => service(res).replace(kind, req.params.id, await resourceBody(req), ctx(req, res))),
    );
    router.patch(
      `/${path}/:id`,
      r(async (req, res) => service(res).patch(kind, req.params.id, await body(req), ctx(req, res))),
    );
    router.delete(
      `/${path}/:id`,
      r(async (req, res) => service(res).delete(kind, req.params.id, ctx(req, res))),
    );
  }
  router.use(
    r(async (req) => {
      throw notFound(`no SCIM endpoint ${req.method} ${req.path}`);
    }),
  );
  return router;
}

function searchParams(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'a SearchRequest must be an object');
  const schemas = body.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(SEARCH_REQUEST_SCHEMA)))
    throw badRequest('invalidValue', `a SearchRequest has schemas ["${SEARCH_REQUEST_SCHEMA}"]`);
  return body;
}

/** POST /.search at the root: Users first, then Groups, paged as one list. */
async function searchAll(service: ScimService, body: unknown, request: Parameters<ScimService['list']>[1]): Promise<ScimResponse> {
  const params = searchParams(body);
  const startIndex = Math.max(1, Number(params.startIndex ?? 1) || 1);
  const users = (await service.list('User', request, params)).body as { totalResults: number; Resources: unknown[]; itemsPerPage: number };
  const count = params.count === undefined ? undefined : Math.max(0, Number(params.count) || 0);
  const remaining = count === undefined ? undefined : count - users.Resources.length;
  const groupStart = Math.max(1, startIndex - users.totalResults);
  const groups =
    remaining === 0
      ? {
          totalResults: ((await service.list('Group', request, { ...params, count: 0 })).body as { totalResults: number }).totalResults,
          Resources: [],
        }
      : ((
          await service.list('Group', request, {
            ...params,
            startIndex: groupStart,
            ...(remaining === undefined ? {} : { count: remaining }),
            ...(startIndex <= users.totalResults ? { startIndex: 1 } : {}),
          })
        ).body as { totalResults: number; Resources: unknown[] });
  const resources = [...users.Resources, ...groups.Resources];
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: users.totalResults + groups.totalResults,
      itemsPerPage: resources.length,
      startIndex,
      Resources: resources,
    },
  };
}
