// SCIM 2.0 endpoints (RFC 7644 §3): Users, Groups, .search, discovery. Bulk is routed by the caller.
import { header, type ScimContext, type ScimRequest, type ScimResponse } from './scim-context.js';
import type { ResourceKind } from './scim-core-schemas.js';
import {
  allResourceTypeDocuments,
  allSchemaDocuments,
  listOf,
  resourceTypeDocument,
  schemaDocument,
  serviceProviderConfigV2,
} from './scim-discovery.js';
import { badRequest, notFound, ScimError } from './scim-errors.js';
import { compileFilter } from './scim-filter-evaluator.js';
import { matchingResources, pageOf, parseQueryParams, parseSearchRequest, type ListQuery } from './scim-list-query.js';
import { applyPatchV2 } from './scim-patch-v2.js';
import { parseAttributeList, projectResource, type Projection } from './scim-projection.js';
import { renderResourceV2, resourceLocation } from './scim-resource-renderer.js';
import { normalizeResourceBody } from './scim-resource-validator.js';
import type { StoredResource } from './scim-store.js';

const KIND_BY_SEGMENT: Record<string, ResourceKind> = { Users: 'User', Groups: 'Group' };
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const methodNotAllowed = (method: string, path: string) => new ScimError(405, undefined, `${method} is not supported on ${path}`);

export function patchRefusal(ctx: ScimContext): ScimError | undefined {
  if (!ctx.faults.patchSupported) return new ScimError(501, undefined, 'PATCH is not supported by this service');
  const status = ctx.faults.rejectPatchStatus;
  return status === undefined ? undefined : new ScimError(status, undefined, 'PATCH is currently refused by this service');
}

function queryProjection(req: ScimRequest): Projection {
  return {
    attributes: parseAttributeList(req.query.get('attributes')),
    excludedAttributes: parseAttributeList(req.query.get('excludedAttributes')),
  };
}

function resourceResponse(ctx: ScimContext, req: ScimRequest, res: StoredResource, status: number): ScimResponse {
  const rendered = renderResourceV2(res, ctx.store, req.baseUrl);
  const headers: Record<string, string> = { ETag: res.version };
  if (status === 201) headers['Location'] = resourceLocation(req.baseUrl, res);
  return { status, headers, body: projectResource(ctx.schemas.resourceType(res.kind), rendered, queryProjection(req)) };
}

function list(ctx: ScimContext, req: ScimRequest, kinds: ResourceKind[], query: ListQuery): ScimResponse {
  // A root-level search spans types: an attribute one type lacks matches nothing there, but a
  // filter that fits no type at all is still invalid.
  const lenient = kinds.length > 1;
  const filter = query.filter;
  if (lenient && filter) {
    const failures = kinds.map((kind) => {
      try {
        compileFilter(filter, ctx.schemas.resourceType(kind));
        return undefined;
      } catch (err) {
        return err;
      }
    });
    if (failures.every((f) => f !== undefined)) throw failures[0];
  }
  const matches = kinds.map((kind) =>
    matchingResources(
      ctx.schemas.resourceType(kind),
      ctx.service.list(kind),
      (r) => renderResourceV2(r, ctx.store, req.baseUrl),
      query,
      lenient,
    ),
  );
  const total = matches.reduce((sum, m) => sum + m.total, 0);
  const page = pageOf(matches, query, (m, r) => projectResource(m.rt, r, query));
  return {
    status: 200,
    body: { schemas: [LIST_RESPONSE], totalResults: total, itemsPerPage: page.length, startIndex: query.startIndex, Resources: page },
  };
}

function discovery(ctx: ScimContext, req: ScimRequest, segments: string[]): ScimResponse | undefined {
  const [first, id] = segments;
  if (first !== 'ServiceProviderConfig' && first !== 'ResourceTypes' && first !== 'Schemas') return undefined;
  if (req.method !== 'GET') throw methodNotAllowed(req.method, req.path);
  if (first === 'ServiceProviderConfig' && id === undefined) {
    return { status: 200, body: serviceProviderConfigV2(ctx.capabilities(), req.baseUrl) };
  }
  if (first === 'ResourceTypes') {
    if (id === undefined) return { status: 200, body: listOf(allResourceTypeDocuments(ctx.schemas, req.baseUrl)) };
    const rt = Object.values(ctx.schemas.resourceTypes).find((r) => r.kind === id);
    if (rt) return { status: 200, body: resourceTypeDocument(rt, req.baseUrl) };
  }
  if (first === 'Schemas') {
    if (id === undefined) return { status: 200, body: listOf(allSchemaDocuments(ctx.schemas, req.baseUrl)) };
    const schema = ctx.schemas.all.find((s) => s.id === id);
    if (schema) return { status: 200, body: schemaDocument(schema, req.baseUrl) };
  }
  throw notFound(`No such resource: ${req.path}`);
}

function collection(ctx: ScimContext, req: ScimRequest, kind: ResourceKind): ScimResponse {
  const rt = ctx.schemas.resourceType(kind);
  if (req.method === 'GET') return list(ctx, req, [kind], parseQueryParams(req.query, 'v2', ctx.options));
  if (req.method === 'POST') return resourceResponse(ctx, req, ctx.service.create(kind, normalizeResourceBody(rt, req.body)), 201);
  throw methodNotAllowed(req.method, req.path);
}

function single(ctx: ScimContext, req: ScimRequest, kind: ResourceKind, id: string): ScimResponse {
  const rt = ctx.schemas.resourceType(kind);
  const ifMatch = header(req.headers, 'if-match');
  switch (req.method) {
    case 'GET': {
      const res = ctx.service.get(kind, id);
      const ifNoneMatch = header(req.headers, 'if-none-match');
      if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === res.version || t.trim() === '*')) {
        return { status: 304, headers: { ETag: res.version } };
      }
      return resourceResponse(ctx, req, res, 200);
    }
    case 'PUT':
      return resourceResponse(ctx, req, ctx.service.replace(kind, id, normalizeResourceBody(rt, req.body), ifMatch), 200);
    case 'PATCH': {
      const refusal = patchRefusal(ctx);
      if (refusal) throw refusal;
      const features = { valueFilters: kind !== 'User' || ctx.options.userPatchFilters };
      const res = ctx.service.modify(kind, id, (attrs) => applyPatchV2(rt, attrs, id, req.body, features), ifMatch);
      return resourceResponse(ctx, req, res, 200);
    }
    case 'DELETE':
      ctx.service.remove(kind, id, ifMatch);
      return { status: 204 };
    default:
      throw methodNotAllowed(req.method, req.path);
  }
}

export function handleV2(ctx: ScimContext, req: ScimRequest): ScimResponse {
  const segments = req.path.split('/').filter((s) => s !== '');
  const found = discovery(ctx, req, segments);
  if (found) return found;
  if (segments.length === 1 && segments[0] === '.search') {
    if (req.method !== 'POST') throw methodNotAllowed(req.method, req.path);
    return list(ctx, req, ['User', 'Group'], parseSearchRequest(req.body, ctx.options));
  }
  // RFC 7644 §3.11: a service without an authenticated-subject alias answers /Me with 501.
  if (segments[0] === 'Me') throw new ScimError(501, undefined, '/Me is not supported by this service');
  const kind = KIND_BY_SEGMENT[segments[0] ?? ''];
  if (!kind || segments.length > 2) throw notFound(`No such endpoint: ${req.path}`);
  if (segments.length === 1) return collection(ctx, req, kind);
  if (segments[1] === '.search') {
    if (req.method !== 'POST') throw methodNotAllowed(req.method, req.path);
    return list(ctx, req, [kind], parseSearchRequest(req.body, ctx.options));
  }
  return single(ctx, req, kind, decodeSegment(segments[1]));
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest('invalidValue', `Malformed resource id "${s}"`);
  }
}
