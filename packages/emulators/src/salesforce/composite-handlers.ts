// sObject Collections: /composite/sobjects (POST create, PATCH update,
// DELETE ?ids=) and /composite/sobjects/{Type} (retrieve by ids).
// At most 200 records per call; allOrNone rolls everything back on one failure.
import { type SaveResult, type UndoEntry, deleteRecord, insertRecord, rollBack, updateRecord } from './dml.js';
import { type RecordError, SalesforceRestError, restErrors } from './errors.js';
import { parseJsonBody } from './http-io.js';
import { isPlainObject, parseRecordInput } from './record-input.js';
import { type RestContext, type RestRequest, type RestResponse, ok } from './rest-context.js';
import { type SObjectDef, findField, findSObject, sobjectForId } from './schema.js';
import { withAttributes } from './sobject-handlers.js';

const MAX_RECORDS = 200;

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function tooMany(): SalesforceRestError {
  return SalesforceRestError.single(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
}

function typeOf(record: Record<string, unknown>): SObjectDef {
  const attributes = record['attributes'];
  const typeName = isPlainObject(attributes) ? attributes['type'] : undefined;
  if (typeof typeName !== 'string') {
    throw SalesforceRestError.single(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  }
  const sobject = findSObject(typeName);
  if (!sobject) throw SalesforceRestError.single(400, 'INVALID_TYPE', `sObject type '${typeName}' is not supported.`);
  return sobject;
}

function readEnvelope(req: RestRequest): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const body = parseJsonBody(req.body);
  if (!isPlainObject(body) || !Array.isArray(body['records'])) {
    throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'Expected a body of the form {"allOrNone": boolean, "records": [...]}');
  }
  const records = body['records'];
  if (records.length > MAX_RECORDS) throw tooMany();
  if (!records.every(isPlainObject)) throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object');
  const allOrNone = body['allOrNone'];
  if (allOrNone !== undefined && typeof allOrNone !== 'boolean') {
    throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'allOrNone must be a boolean');
  }
  return { allOrNone: allOrNone === true, records };
}

/** Without ids on success results when rolled back, exactly as Salesforce answers. */
function finish(ctx: RestContext, results: SaveResult[], undo: UndoEntry[], allOrNone: boolean): RestResponse {
  if (allOrNone && results.some((r) => !r.success)) {
    rollBack(ctx.state, undo);
    return ok(results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)));
  }
  return ok(results);
}

/** A record-level failure for a User whose Username the injected faults refuse (the collection itself answers 200). */
function refused(ctx: RestContext, sobject: SObjectDef, ...usernames: unknown[]): SaveResult | undefined {
  if (sobject.name !== 'User') return undefined;
  const refusal = usernames.map((u) => ctx.faults.refusalFor(u)).find((r) => r !== undefined);
  return refusal ? { success: false, errors: [{ statusCode: refusal.errorCode, message: refusal.message, fields: [] }] } : undefined;
}

function createMany(ctx: RestContext, req: RestRequest): RestResponse {
  const { allOrNone, records } = readEnvelope(req);
  const inputs = records.map((record) => {
    const sobject = typeOf(record);
    return { sobject, input: parseRecordInput(sobject, record) };
  });
  const undo: UndoEntry[] = [];
  const results = inputs.map(({ sobject, input }): SaveResult => {
    if (!sobject.createable)
      return {
        success: false,
        errors: [{ statusCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be inserted', fields: [] }],
      };
    return refused(ctx, sobject, input.get('Username')) ?? insertRecord(ctx.state, sobject, input, ctx.session.userId, undo);
  });
  return finish(ctx, results, undo, allOrNone);
}

function updateMany(ctx: RestContext, req: RestRequest): RestResponse {
  const { allOrNone, records } = readEnvelope(req);
  const inputs = records.map((record) => {
    const sobject = typeOf(record);
    const id = record['id'] ?? record['Id'];
    return { sobject, id, input: parseRecordInput(sobject, record, ['attributes', 'id', 'Id']) };
  });
  const undo: UndoEntry[] = [];
  const results = inputs.map(({ sobject, id, input }): SaveResult => {
    if (typeof id !== 'string' || id === '') {
      return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
    }
    if (!sobject.updateable)
      return {
        success: false,
        errors: [{ statusCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be updated', fields: [] }],
      };
    const existing = ctx.state.get(sobject.name, id);
    return (
      refused(ctx, sobject, existing?.['Username'], input.get('Username')) ??
      updateRecord(ctx.state, sobject, id, input, ctx.session.userId, undo)
    );
  });
  return finish(ctx, results, undo, allOrNone);
}

function deleteMany(ctx: RestContext, req: RestRequest): RestResponse {
  const ids = (req.query.get('ids') ?? '').split(',').filter((id) => id !== '');
  if (ids.length === 0) throw SalesforceRestError.single(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw tooMany();
  const allOrNone = req.query.get('allOrNone') === 'true';
  const undo: UndoEntry[] = [];
  const results = ids.map((id): SaveResult => {
    const sobject = sobjectForId(id);
    if (!sobject) return { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] }] };
    return deleteRecord(ctx.state, sobject, id, undo);
  });
  return finish(ctx, results, undo, allOrNone);
}

/** POST /composite/sobjects/{Type} with {ids, fields}, or GET with ?ids=&fields=. */
function retrieveMany(ctx: RestContext, req: RestRequest, typeName: string): RestResponse {
  const sobject = findSObject(typeName);
  if (!sobject) throw restErrors.notFound();
  let ids: unknown;
  let fields: unknown;
  if (req.method === 'POST') {
    const body = parseJsonBody(req.body);
    ids = isPlainObject(body) ? body['ids'] : undefined;
    fields = isPlainObject(body) ? body['fields'] : undefined;
  } else {
    ids = req.query.get('ids')?.split(',');
    fields = req.query.get('fields')?.split(',');
  }
  if (
    !Array.isArray(ids) ||
    !Array.isArray(fields) ||
    !ids.every((i) => typeof i === 'string') ||
    !fields.every((f) => typeof f === 'string')
  ) {
    throw SalesforceRestError.single(400, 'MISSING_ARGUMENT', 'ids and fields are required');
  }
  if (ids.length > 2000) throw tooMany();
  const canonical = fields.map((name: string) => {
    const field = findField(sobject, name.trim());
    if (!field) throw SalesforceRestError.single(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${sobject.name}`);
    return field.name;
  });
  return ok(
    ids.map((id: string) => {
      const record = ctx.state.get(sobject.name, id);
      return record ? withAttributes(sobject, record, ctx.version, canonical) : null;
    }),
  );
}

export function handleComposite(ctx: RestContext, req: RestRequest): RestResponse {
  const [, kind, typeName, ...rest] = req.segments;
  if (kind !== 'sobjects' || rest.length > 0) throw restErrors.notFound();
  if (typeName !== undefined) {
    if (req.method !== 'GET' && req.method !== 'POST') throw restErrors.methodNotAllowed(req.method, ['GET', 'POST']);
    return retrieveMany(ctx, req, typeName);
  }
  if (req.method === 'POST') return createMany(ctx, req);
  if (req.method === 'PATCH') return updateMany(ctx, req);
  if (req.method === 'DELETE') return deleteMany(ctx, req);
  throw restErrors.methodNotAllowed(req.method, ['POST', 'PATCH', 'DELETE']);
}
