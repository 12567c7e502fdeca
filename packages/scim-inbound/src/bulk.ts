import { badRequest, ScimError, toScimError, v2ErrorBody } from './scim-error.js';
import { isPlainObject } from './resource-validator.js';
import type { ScimRequest, ScimResponse, ScimService } from './scim-service.js';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

interface BulkOperation {
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

/**
 * RFC 7644 §3.7 Bulk: operations run in order through the same service as single
 * requests. `bulkId:<id>` references (in paths and anywhere in data) resolve to the
 * ids of resources created earlier in the request; an operation that refers to a
 * later one waits until it exists (one extra pass per dependency level).
 */
export async function runBulk(service: ScimService, body: unknown, request: ScimRequest, maxOperations: number): Promise<ScimResponse> {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'a Bulk request must be an object');
  const raw = body.Operations ?? body.operations;
  if (!Array.isArray(raw)) throw badRequest('invalidSyntax', 'a Bulk request needs an "Operations" array');
  if (raw.length > maxOperations)
    throw new ScimError(
      413,
      undefined,
      `a Bulk request may hold at most ${maxOperations} operations (maxOperations), this one has ${raw.length}`,
    );
  const failOnErrors = body.failOnErrors === undefined ? undefined : Number(body.failOnErrors);
  const operations = raw.map(readOperation);
  const created = new Map<string, string>();
  const results: (Record<string, unknown> | undefined)[] = operations.map(() => undefined);
  let errors = 0;
  let pending = operations.map((_, index) => index);
  while (pending.length > 0) {
    const waiting: number[] = [];
    for (const index of pending) {
      if (failOnErrors !== undefined && failOnErrors > 0 && errors >= failOnErrors) break;
      const operation = operations[index];
      if (operation instanceof ScimError) {
        results[index] = failure(undefined, operation);
        errors += 1;
        continue;
      }
      const references = bulkIdsIn(operation.path, operation.data);
      const unknown = references.filter((id) => !created.has(id));
      if (unknown.length > 0) {
        const later = unknown.every((id) =>
          pending.some((i) => i !== index && !(operations[i] instanceof ScimError) && (operations[i] as BulkOperation).bulkId === id),
        );
        if (later) {
          waiting.push(index);
          continue;
        }
        results[index] = failure(
          operation,
          badRequest('invalidValue', `bulkId ${unknown.join(', ')} does not refer to a resource created in this request`),
        );
        errors += 1;
        continue;
      }
      const resolved = { ...operation, path: resolve(operation.path, created) as string, data: resolve(operation.data, created) };
      try {
        const response = await dispatch(service, resolved, request);
        const resource = response.body as { id?: string; meta?: { location?: string; version?: string } } | undefined;
        if (operation.bulkId && resource?.id) created.set(operation.bulkId, resource.id);
        results[index] = {
          method: operation.method,
          ...(operation.bulkId ? { bulkId: operation.bulkId } : {}),
          ...(resource?.meta?.location ? { location: resource.meta.location } : {}),
          ...((resource?.meta?.version ?? response.headers?.ETag) ? { version: resource?.meta?.version ?? response.headers?.ETag } : {}),
          status: String(response.status),
        };
      } catch (error) {
        results[index] = failure(operation, toScimError(error));
        errors += 1;
      }
    }
    if (waiting.length === pending.length) {
      for (const index of waiting)
        results[index] = failure(operations[index] as BulkOperation, badRequest('invalidValue', 'circular bulkId references'));
      break;
    }
    pending = waiting;
  }
  return { status: 200, body: { schemas: [BULK_RESPONSE_SCHEMA], Operations: results.filter((r) => r !== undefined) } };
}

function readOperation(raw: unknown, index: number): BulkOperation | ScimError {
  if (!isPlainObject(raw)) return badRequest('invalidSyntax', `Operations[${index}] must be an object`);
  const { method, path, bulkId, version, data } = raw;
  if (typeof method !== 'string' || !/^(POST|PUT|PATCH|DELETE)$/i.test(method))
    return badRequest('invalidSyntax', `Operations[${index}].method must be POST, PUT, PATCH or DELETE`);
  if (typeof path !== 'string') return badRequest('invalidSyntax', `Operations[${index}].path is required`);
  if (bulkId !== undefined && typeof bulkId !== 'string')
    return badRequest('invalidSyntax', `Operations[${index}].bulkId must be a string`);
  if (method.toUpperCase() === 'POST' && !bulkId) return badRequest('invalidSyntax', `Operations[${index}]: POST needs a bulkId`);
  return { method: method.toUpperCase(), path, bulkId, version: typeof version === 'string' ? version : undefined, data };
}

function failure(operation: BulkOperation | undefined, error: ScimError): Record<string, unknown> {
  return {
    ...(operation ? { method: operation.method, ...(operation.bulkId ? { bulkId: operation.bulkId } : {}) } : {}),
    status: String(error.status),
    response: v2ErrorBody(error),
  };
}

async function dispatch(service: ScimService, operation: BulkOperation, request: ScimRequest): Promise<ScimResponse> {
  const match = /^\/(Users|Groups)(?:\/([^/?#]+))?$/i.exec(operation.path);
  if (!match) throw badRequest('invalidPath', `bulk path ${operation.path} is not /Users[/id] or /Groups[/id]`);
  const kind = match[1].toLowerCase() === 'users' ? 'User' : 'Group';
  const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  const inner: ScimRequest = { ...request, params: {}, ifMatch: operation.version, ifNoneMatch: undefined, wantRepresentation: true };
  if (operation.method === 'POST' && id === undefined) return service.create(kind, operation.data, inner);
  if (id === undefined) throw badRequest('invalidPath', `${operation.method} needs a resource path /${match[1]}/{id}`);
  if (operation.method === 'PUT') return service.replace(kind, id, operation.data, inner);
  if (operation.method === 'PATCH') return service.patch(kind, id, operation.data, inner);
  if (operation.method === 'DELETE') return service.delete(kind, id, inner);
  throw badRequest('invalidSyntax', `POST goes to /${match[1]}, not to a resource`);
}

const BULK_REF = /^bulkId:(.+)$/;

function bulkIdsIn(...values: unknown[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') {
      const inPath = /\/bulkId:([^/]+)/.exec(value);
      const whole = BULK_REF.exec(value);
      if (whole) found.push(whole[1]);
      else if (inPath) found.push(inPath[1]);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
    else if (isPlainObject(value)) Object.values(value).forEach((v) => walk(v, depth + 1));
  };
  values.forEach((v) => walk(v, 0));
  return found;
}

function resolve(value: unknown, created: Map<string, string>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') {
    const whole = BULK_REF.exec(value);
    if (whole) return created.get(whole[1]) ?? value;
    return value.replace(/\/bulkId:([^/]+)/, (text, id: string) => (created.has(id) ? `/${created.get(id)}` : text));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, created, depth + 1));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, created, depth + 1)]));
  return value;
}
