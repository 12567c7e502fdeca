// RFC 7644 §3.7 Bulk: operations run through the same handlers as single requests, with bulkId
// cross-references ("bulkId:qwerty") resolved as the resources they name get created.
import type { ScimContext, ScimRequest, ScimResponse } from './scim-context.js';
import { badRequest, ScimError } from './scim-errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import { openMessage } from './scim-message.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BULK_REF = /^bulkId:(.+)$/;

interface BulkOp {
  index: number;
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: JsonValue;
}

type Dispatch = (req: ScimRequest) => ScimResponse;
type RenderError = (err: ScimError) => ScimResponse;

function parseOps(body: JsonValue | undefined): { ops: BulkOp[]; failOnErrors?: number } {
  const { message, operations: raw } = openMessage(body, BULK_REQUEST, 'BulkRequest');
  if (!Array.isArray(raw)) throw badRequest('invalidSyntax', '"Operations" must be an array');
  const failOnErrors = message['failOnErrors'];
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw badRequest('invalidValue', '"failOnErrors" must be a positive integer');
  }
  const ops = raw.map((op, index): BulkOp => {
    if (!isJsonObject(op)) throw badRequest('invalidSyntax', `Operation ${index} must be a JSON object`);
    const { method, bulkId, version, path, data } = op;
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
      throw badRequest('invalidSyntax', `Operation ${index}: "method" must be POST, PUT, PATCH or DELETE`);
    }
    if (typeof path !== 'string') throw badRequest('invalidSyntax', `Operation ${index}: "path" is required`);
    if (bulkId !== undefined && typeof bulkId !== 'string')
      throw badRequest('invalidSyntax', `Operation ${index}: "bulkId" must be a string`);
    if (method.toUpperCase() === 'POST' && bulkId === undefined) {
      throw badRequest('invalidSyntax', `Operation ${index}: "bulkId" is required for POST`);
    }
    if (version !== undefined && typeof version !== 'string')
      throw badRequest('invalidSyntax', `Operation ${index}: "version" must be a string`);
    return { index, method: method.toUpperCase(), bulkId, version, path, data };
  });
  const ids = ops.map((o) => o.bulkId).filter((b): b is string => b !== undefined);
  if (new Set(ids).size !== ids.length) throw badRequest('invalidValue', 'Each "bulkId" must be unique within the request');
  return { ops, failOnErrors: failOnErrors as number | undefined };
}

function collectRefs(value: JsonValue | undefined, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value);
    if (m) into.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => collectRefs(v, into));
  else if (isJsonObject(value)) Object.values(value).forEach((v) => collectRefs(v, into));
  return into;
}

function substitute(value: JsonValue | undefined, ids: Map<string, string>): JsonValue | undefined {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value);
    return m ? (ids.get(m[1]) ?? value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids) ?? null);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, ids) ?? null;
    return out;
  }
  return value;
}

export function handleBulk(
  ctx: ScimContext,
  req: ScimRequest,
  rawLength: number,
  dispatch: Dispatch,
  renderError: RenderError,
): ScimResponse {
  if (!ctx.faults.bulkSupported) throw new ScimError(501, undefined, 'Bulk operations are not supported by this service');
  if (req.method !== 'POST') throw new ScimError(405, undefined, `${req.method} is not supported on /Bulk`);
  const { maxOperations, maxPayloadSize } = ctx.options.bulk;
  // RFC 7644 §3.7.4: exceeding either limit is 413 Payload Too Large.
  if (rawLength > maxPayloadSize) {
    throw new ScimError(413, undefined, `The size of the bulk operation exceeds the maxPayloadSize (${maxPayloadSize}).`);
  }
  const { ops, failOnErrors } = parseOps(req.body);
  if (ops.length > maxOperations) {
    throw new ScimError(413, undefined, `The number of operations exceeds the maxOperations (${maxOperations}).`);
  }
  const ids = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  const results: (JsonObject | undefined)[] = ops.map(() => undefined);
  let pending = ops;
  let errors = 0;
  const finish = (op: BulkOp, response: ScimResponse): void => {
    const entry: JsonObject = { method: op.method, status: String(response.status) };
    if (op.bulkId !== undefined) entry['bulkId'] = op.bulkId;
    const body = response.body;
    const location =
      response.headers?.['Location'] ?? (isJsonObject(body) && isJsonObject(body['meta']) ? body['meta']['location'] : undefined);
    if (response.status < 400) {
      if (typeof location === 'string') entry['location'] = location;
      if (response.headers?.['ETag']) entry['version'] = response.headers['ETag'];
      if (op.method === 'POST' && op.bulkId !== undefined && isJsonObject(body) && typeof body['id'] === 'string')
        ids.set(op.bulkId, body['id']);
    } else {
      errors += 1;
      if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
      if (body !== undefined) entry['response'] = body;
    }
    results[op.index] = entry;
  };
  // Each pass runs every operation whose references are resolved; a pass without progress ends it.
  for (let pass = 0; pass <= ops.length && pending.length > 0; pass++) {
    const deferred: BulkOp[] = [];
    for (const op of pending) {
      if (failOnErrors !== undefined && errors >= failOnErrors) break;
      const refs = collectRefs(op.data, collectRefs(op.path.split('/'), new Set()));
      const unresolvable = [...refs].find((r) => failedBulkIds.has(r) || !ops.some((o) => o.bulkId === r));
      if (unresolvable !== undefined) {
        finish(op, renderError(new ScimError(409, undefined, `bulkId "${unresolvable}" cannot be resolved`)));
        continue;
      }
      if ([...refs].some((r) => !ids.has(r))) {
        deferred.push(op);
        continue;
      }
      const sub: ScimRequest = {
        method: op.method,
        path: op.path
          .split('/')
          .map((seg) => substitute(seg, ids))
          .join('/'),
        query: new URLSearchParams(),
        headers: op.version === undefined ? {} : { 'if-match': op.version },
        body: substitute(op.data, ids),
        baseUrl: req.baseUrl,
      };
      finish(
        op,
        /^\/(Users|Groups)(\/|$)/.test(sub.path)
          ? dispatch(sub)
          : renderError(badRequest('invalidValue', `Bulk path "${op.path}" is not a resource endpoint`)),
      );
    }
    if (deferred.length === pending.length) {
      // RFC 7644 §3.7.1: circular references that cannot be resolved answer 409.
      for (const op of deferred) finish(op, renderError(new ScimError(409, undefined, 'Circular bulkId reference could not be resolved')));
      break;
    }
    pending = deferred;
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
  }
  return { status: 200, body: { schemas: [BULK_RESPONSE], Operations: results.filter((r): r is JsonObject => r !== undefined) } };
}
