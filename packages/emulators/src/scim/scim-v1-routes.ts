// SCIM 1.1 endpoints (draft protocol 1.1): Users, Groups and ServiceProviderConfigs in 1.1 form,
// sharing the store, rules and filter engine (restricted to the 1.1 operators) with SCIM 2.0.
import { header, type ScimContext, type ScimRequest, type ScimResponse } from './scim-context.js';
import type { ResourceKind } from './scim-core-schemas.js';
import { serviceProviderConfigsV1, v1SchemaDocument } from './scim-discovery.js';
import { badRequest, notFound, ScimError } from './scim-errors.js';
import { matchingResources, pageOf, parseQueryParams } from './scim-list-query.js';
import { parseAttributeList, projectResource } from './scim-projection.js';
import { renderResourceV2, resourceLocation } from './scim-resource-renderer.js';
import { normalizeResourceBody } from './scim-resource-validator.js';
import type { StoredResource } from './scim-store.js';
import { applyPatchV1 } from './scim-v1-patch.js';
import { V1_CORE, v1BodyToV2, v2ResourceToV1 } from './scim-v1-translation.js';
import { patchRefusal } from './scim-v2-routes.js';

const KIND_BY_SEGMENT: Record<string, ResourceKind> = { Users: 'User', Groups: 'Group' };

function respond(ctx: ScimContext, req: ScimRequest, res: StoredResource, status: number): ScimResponse {
  const rt = ctx.schemas.resourceType(res.kind);
  const projection = {
    attributes: parseAttributeList(req.query.get('attributes')),
    excludedAttributes: parseAttributeList(req.query.get('excludedAttributes')),
  };
  const body = v2ResourceToV1(ctx.schemas, projectResource(rt, renderResourceV2(res, ctx.store, req.baseUrl), projection));
  const headers: Record<string, string> = { ETag: res.version };
  if (status === 201) headers['Location'] = resourceLocation(req.baseUrl, res);
  return { status, headers, body };
}

function list(ctx: ScimContext, req: ScimRequest, kind: ResourceKind): ScimResponse {
  const rt = ctx.schemas.resourceType(kind);
  const query = parseQueryParams(req.query, 'v1', ctx.options);
  const matches = matchingResources(rt, ctx.service.list(kind), (r) => renderResourceV2(r, ctx.store, req.baseUrl), query);
  const page = pageOf([matches], query, (m, r) => v2ResourceToV1(ctx.schemas, projectResource(m.rt, r, query)));
  return {
    status: 200,
    body: {
      totalResults: matches.total,
      itemsPerPage: page.length,
      startIndex: query.startIndex,
      schemas: [V1_CORE],
      Resources: page,
    },
  };
}

export function handleV1(ctx: ScimContext, req: ScimRequest): ScimResponse {
  const segments = req.path.split('/').filter((s) => s !== '');
  if (segments.length === 1 && segments[0] === 'ServiceProviderConfigs') {
    if (req.method !== 'GET') throw new ScimError(405, undefined, `${req.method} is not supported here`);
    return { status: 200, body: serviceProviderConfigsV1(ctx.capabilities()) };
  }
  // SCIM 1.1 §4.3 "/Schemas/Users": only on services that offer discovery (WSO2 IS's /wso2/scim does not).
  if (segments[0] === 'Schemas') return schemaOfV1(ctx, req, segments);
  if (segments.length === 1 && segments[0] === 'Bulk')
    throw new ScimError(501, undefined, 'Bulk is not supported on the SCIM 1.1 endpoint');
  const kind = KIND_BY_SEGMENT[segments[0] ?? ''];
  if (!kind || segments.length > 2) throw notFound(`No such endpoint: ${req.path}`);
  const rt = ctx.schemas.resourceType(kind);
  if (segments.length === 1) {
    if (req.method === 'GET') return list(ctx, req, kind);
    if (req.method === 'POST')
      return respond(ctx, req, ctx.service.create(kind, normalizeResourceBody(rt, v1BodyToV2(ctx.schemas, kind, req.body))), 201);
    throw new ScimError(405, undefined, `${req.method} is not supported on ${req.path}`);
  }
  let id: string;
  try {
    id = decodeURIComponent(segments[1]);
  } catch {
    throw badRequest('invalidValue', 'Malformed resource id');
  }
  const ifMatch = header(req.headers, 'if-match');
  switch (req.method) {
    case 'GET':
      return respond(ctx, req, ctx.service.get(kind, id), 200);
    case 'PUT':
      return respond(
        ctx,
        req,
        ctx.service.replace(kind, id, normalizeResourceBody(rt, v1BodyToV2(ctx.schemas, kind, req.body)), ifMatch),
        200,
      );
    case 'PATCH': {
      const refusal = patchRefusal(ctx);
      if (refusal) throw refusal;
      return respond(
        ctx,
        req,
        ctx.service.modify(kind, id, (attrs) => applyPatchV1(ctx.schemas, rt, attrs, req.body), ifMatch),
        200,
      );
    }
    case 'DELETE':
      // SCIM 1.1 §3.4: a successful DELETE answers 200 OK.
      ctx.service.remove(kind, id, ifMatch);
      return { status: 200 };
    default:
      throw new ScimError(405, undefined, `${req.method} is not supported on ${req.path}`);
  }
}

function schemaOfV1(ctx: ScimContext, req: ScimRequest, segments: string[]): ScimResponse {
  const kind = KIND_BY_SEGMENT[segments[1] ?? ''];
  if (!ctx.options.v1Schemas || !kind || segments.length !== 2) throw notFound(`No such endpoint: ${req.path}`);
  if (req.method !== 'GET') throw new ScimError(405, undefined, `${req.method} is not supported here`);
  return { status: 200, body: v1SchemaDocument(ctx.schemas, ctx.schemas.resourceType(kind)) };
}
