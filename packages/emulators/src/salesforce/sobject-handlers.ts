// /sobjects/{Type}[/{id}[/password]] and /sobjects/{Type}/describe.
import { randomBytes } from 'node:crypto';
import { deleteRecord, insertRecord, updateRecord } from './dml.js';
import { describeGlobal, describeSObject, sobjectBasicInfo } from './describe.js';
import { SalesforceRestError, restErrors } from './errors.js';
import { isIdShaped } from './ids.js';
import { parseJsonBody } from './http-io.js';
import { isPlainObject, parseRecordInput } from './record-input.js';
import type { SObjectRecord } from './records.js';
import { type RestContext, type RestRequest, type RestResponse, noContent, ok } from './rest-context.js';
import { type SObjectDef, findField, findSObject } from './schema.js';

function allowed(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw restErrors.methodNotAllowed(method, methods);
}

function withAttributes(sobject: SObjectDef, record: SObjectRecord, version: string, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: sobject.name, url: `/services/data/v${version}/sobjects/${sobject.name}/${String(record['Id'])}` },
  };
  for (const field of fields ?? sobject.fields.map((f) => f.name)) out[field] = record[field] ?? null;
  return out;
}

function requestedFields(sobject: SObjectDef, fieldsParam: string | null): string[] | undefined {
  if (!fieldsParam) return undefined;
  return fieldsParam.split(',').map((name) => {
    const field = findField(sobject, name.trim());
    if (!field)
      throw SalesforceRestError.single(400, 'INVALID_FIELD', `No such column '${name.trim()}' on sobject of type ${sobject.name}`);
    return field.name;
  });
}

function findRecordOr404(ctx: RestContext, sobject: SObjectDef, idText: string): SObjectRecord {
  if (!isIdShaped(idText)) {
    throw SalesforceRestError.single(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${idText}`);
  }
  const record = ctx.state.get(sobject.name, idText);
  if (!record) throw restErrors.notFound();
  return record;
}

/** Salesforce's password policy: at least `minLength` characters (default 8) mixing letters and numbers. */
function passwordPolicyError(password: string, minLength: number): string | undefined {
  if (password.length < minLength) return `Your password must be at least ${minLength} characters long.`;
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'Your password must have a mix of letters and numbers.';
  return undefined;
}

function handlePassword(ctx: RestContext, req: RestRequest, user: SObjectRecord): RestResponse {
  allowed(req.method, ['GET', 'HEAD', 'POST', 'DELETE']);
  const userId = String(user['Id']);
  if (req.method === 'GET' || req.method === 'HEAD') return ok({ isExpired: false });
  if (req.method === 'DELETE') {
    const generated = `${randomBytes(6).toString('base64url')}7a`;
    ctx.state.recordPasswordSet(userId, generated, 'reset');
    return ok({ NewPassword: generated });
  }
  const body = parseJsonBody(req.body);
  const password = isPlainObject(body) ? body['NewPassword'] : undefined;
  if (typeof password !== 'string') throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'Expected NewPassword in the request body');
  const policy = passwordPolicyError(password, ctx.state.passwordMinLength);
  if (policy) throw SalesforceRestError.single(400, 'INVALID_NEW_PASSWORD', policy);
  ctx.state.recordPasswordSet(userId, password, 'set');
  return noContent();
}

/** A write of a User whose Username the injected faults refuse answers as the org would: status + error array. */
function throwIfRefused(ctx: RestContext, sobject: SObjectDef, username: unknown): void {
  if (sobject.name !== 'User') return;
  const refusal = ctx.faults.refusalFor(username);
  if (refusal) throw SalesforceRestError.single(refusal.status, refusal.errorCode, refusal.message, []);
}

function handleRecord(ctx: RestContext, req: RestRequest, sobject: SObjectDef, idText: string): RestResponse {
  const methods = ['GET', 'HEAD', ...(sobject.updateable ? ['PATCH'] : []), ...(sobject.deletable ? ['DELETE'] : [])];
  allowed(req.method, methods);
  const record = findRecordOr404(ctx, sobject, idText);
  if (req.method === 'GET' || req.method === 'HEAD') {
    return ok(withAttributes(sobject, record, ctx.version, requestedFields(sobject, req.query.get('fields'))));
  }
  if (req.method === 'PATCH') {
    const input = parseRecordInput(sobject, parseJsonBody(req.body));
    throwIfRefused(ctx, sobject, record['Username']);
    if (input.has('Username')) throwIfRefused(ctx, sobject, input.get('Username'));
    const result = updateRecord(ctx.state, sobject, idText, input, ctx.session.userId);
    if (!result.success) throw SalesforceRestError.fromRecordError(result.errors[0]);
    return noContent();
  }
  const result = deleteRecord(ctx.state, sobject, idText);
  if (!result.success) throw SalesforceRestError.fromRecordError(result.errors[0]);
  return noContent();
}

function handleCreate(ctx: RestContext, req: RestRequest, sobject: SObjectDef): RestResponse {
  allowed(req.method, sobject.createable ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD']);
  if (req.method !== 'POST') return ok(sobjectBasicInfo(sobject, ctx.version));
  const input = parseRecordInput(sobject, parseJsonBody(req.body));
  throwIfRefused(ctx, sobject, input.get('Username'));
  const result = insertRecord(ctx.state, sobject, input, ctx.session.userId);
  if (!result.success) throw SalesforceRestError.fromRecordError(result.errors[0]);
  return ok({ id: result.id, success: true, errors: [] }, 201);
}

export function handleSObjects(ctx: RestContext, req: RestRequest): RestResponse {
  const [, typeName, second, third, ...rest] = req.segments;
  if (typeName === undefined) {
    allowed(req.method, ['GET', 'HEAD']);
    return ok(describeGlobal(ctx.version));
  }
  const sobject = findSObject(typeName);
  if (!sobject || rest.length > 0) throw restErrors.notFound();
  if (second === undefined) return handleCreate(ctx, req, sobject);
  if (second === 'describe' && third === undefined) {
    allowed(req.method, ['GET', 'HEAD']);
    return ok(describeSObject(sobject, ctx.version));
  }
  if (third === undefined) return handleRecord(ctx, req, sobject, second);
  if (third === 'password' && sobject.name === 'User') return handlePassword(ctx, req, findRecordOr404(ctx, sobject, second));
  throw restErrors.notFound();
}

export { withAttributes };
