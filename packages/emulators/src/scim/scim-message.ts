// The envelope shared by SCIM's operation messages (BulkRequest, PatchOp): a JSON object whose
// `schemas` names the message and whose `Operations` (any case) holds the operations.
import { badRequest } from './scim-errors.js';
import { findKey, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';

/** Checks the envelope of a `messageName` message; `operations` is what `Operations` holds, not checked further. */
export function openMessage(
  body: JsonValue | undefined,
  schema: string,
  messageName: string,
): { message: JsonObject; operations: JsonValue | undefined } {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', `A ${messageName} body must be a JSON object`);
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.includes(schema)) {
    throw badRequest('invalidSyntax', `"schemas" must contain "${schema}"`);
  }
  const key = findKey(body, 'Operations');
  return { message: body, operations: key === undefined ? undefined : body[key] };
}
