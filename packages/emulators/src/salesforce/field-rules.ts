// Field-level DML checks every sObject shares, in the order Salesforce applies
// them: read-only fields, required fields, lengths, restricted picklists,
// email syntax, then lookups.
import type { RecordError } from './errors.js';
import { isIdShaped, toId18 } from './ids.js';
import type { OrgState } from './org-state.js';
import type { FieldInput } from './record-input.js';
import type { SObjectRecord } from './records.js';
import { type FieldDef, type SObjectDef, sobjectForId } from './schema.js';

const EMAIL_SHAPE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function looksLikeEmail(text: string): boolean {
  return EMAIL_SHAPE.test(text);
}

const recordError = (statusCode: string, message: string, fields: string[]): RecordError => ({ statusCode, message, fields });

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function readOnlyFields(sobject: SObjectDef, input: FieldInput, existing: SObjectRecord | undefined): RecordError | undefined {
  if (!existing && input.has('Id')) return recordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
  const blocked = [...input.keys()].filter((name) => {
    if (name === 'Id') return existing !== undefined && toId18(String(input.get('Id'))) !== existing['Id'];
    const field = sobject.fields.find((f) => f.name === name);
    return field !== undefined && !(existing ? field.updateable : field.createable);
  });
  if (blocked.length === 0) return undefined;
  return recordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${blocked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    blocked,
  );
}

function missingRequired(sobject: SObjectDef, input: FieldInput, existing: SObjectRecord | undefined): RecordError | undefined {
  const missing = sobject.fields
    .filter((f) => !f.nillable && f.type !== 'boolean' && (existing ? f.updateable : f.createable))
    .filter((f) => (existing ? input.has(f.name) && isBlank(input.get(f.name)) : !f.defaultedOnCreate && isBlank(input.get(f.name))))
    .map((f) => f.name);
  if (missing.length === 0) return undefined;
  return recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
}

function valueError(field: FieldDef, value: string, state: OrgState): RecordError | undefined {
  if (field.length !== undefined && field.type !== 'reference' && value.length > field.length) {
    return recordError('STRING_TOO_LONG', `${field.label}: data value too large: ${value} (max length=${field.length})`, [field.name]);
  }
  if (field.picklistValues && !field.picklistValues.includes(value)) {
    return recordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${value}`, [
      field.name,
    ]);
  }
  if (field.type === 'email' && !looksLikeEmail(value)) {
    return recordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
  }
  if (field.type === 'reference') return referenceError(field, value, state);
  return undefined;
}

function referenceError(field: FieldDef, value: string, state: OrgState): RecordError | undefined {
  if (!isIdShaped(value)) {
    return recordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  }
  const target = sobjectForId(value);
  if (!target || !(field.referenceTo ?? []).includes(target.name)) {
    return recordError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
  }
  if (!state.get(target.name, value)) return recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  return undefined;
}

/** The first field-level error of this save, or undefined. Normalises lookups to 18-char ids in place. */
export function checkFieldRules(
  sobject: SObjectDef,
  input: FieldInput,
  existing: SObjectRecord | undefined,
  state: OrgState,
): RecordError | undefined {
  const structural = readOnlyFields(sobject, input, existing) ?? missingRequired(sobject, input, existing);
  if (structural) return structural;
  for (const field of sobject.fields) {
    const value = input.get(field.name);
    if (typeof value !== 'string' || field.name === 'Id') continue;
    const error = valueError(field, value, state);
    if (error) return error;
    if (field.type === 'reference') input.set(field.name, toId18(value) ?? value);
  }
  return undefined;
}
