// Insert, update and delete of one record, returning Salesforce SaveResults.
// Collections and single-record endpoints both go through here.
import type { RecordError } from './errors.js';
import { checkFieldRules } from './field-rules.js';
import { groupMemberRules, groupRules, permissionSetAssignmentRules } from './group-rules.js';
import { isIdShaped, toId18 } from './ids.js';
import type { OrgState } from './org-state.js';
import type { FieldInput } from './record-input.js';
import { type SObjectRecord, salesforceDateTime } from './records.js';
import type { SObjectDef } from './schema.js';
import type { SObjectRules } from './sobject-rules.js';
import { userRules } from './user-rules.js';

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
}

const RULES: Record<string, SObjectRules> = {
  User: userRules,
  Group: groupRules,
  GroupMember: groupMemberRules,
  PermissionSetAssignment: permissionSetAssignmentRules,
};

/** Undo information so an allOrNone collection can roll back. */
export interface UndoEntry {
  type: string;
  id: string;
  before: SObjectRecord | undefined;
}

const failure = (error: RecordError): SaveResult => ({ success: false, errors: [error] });

function defaultsFor(sobject: SObjectDef): SObjectRecord {
  const record: SObjectRecord = {};
  for (const field of sobject.fields) {
    if (field.type === 'boolean') record[field.name] = field.name === 'IsActive' || field.name === 'DoesIncludeBosses';
    else record[field.name] = null;
  }
  return record;
}

function stamp(record: SObjectRecord, actorId: string, creating: boolean): void {
  const now = salesforceDateTime(new Date());
  const set = (name: string, value: string): void => {
    if (name in record) record[name] = value;
  };
  if (creating) {
    set('CreatedDate', now);
    set('CreatedById', actorId);
    set('OwnerId', actorId);
  }
  set('LastModifiedDate', now);
  set('LastModifiedById', actorId);
  set('SystemModstamp', now);
}

export function insertRecord(state: OrgState, sobject: SObjectDef, input: FieldInput, actorId: string, undo?: UndoEntry[]): SaveResult {
  if (sobject.name !== 'User') return insertAny(state, sobject, input, actorId, undo);
  countUserInsert(state, input);
  const result = insertAny(state, sobject, input, actorId, undo);
  journalUserWrite(state, String(input.get('Username') ?? ''), 'insert', input, result);
  return result;
}

function insertAny(state: OrgState, sobject: SObjectDef, input: FieldInput, actorId: string, undo?: UndoEntry[]): SaveResult {
  const fieldError = checkFieldRules(sobject, input, undefined, state);
  if (fieldError) return failure(fieldError);
  const record = defaultsFor(sobject);
  for (const [name, value] of input) record[name] = value;
  record['Id'] = state.ids.next(sobject.keyPrefix);
  const rules = RULES[sobject.name] ?? {};
  rules.derive?.(record, undefined, state);
  const ruleError = rules.validate?.(record, undefined, state);
  if (ruleError) return failure(ruleError);
  stamp(record, actorId, true);
  state.put(sobject.name, record);
  undo?.push({ type: sobject.name, id: String(record['Id']), before: undefined });
  return { id: String(record['Id']), success: true, errors: [] };
}

/** A second insert of one Username is a client that created twice; tests read these counts. */
function countUserInsert(state: OrgState, input: FieldInput): void {
  const username = String(input.get('Username') ?? '').toLowerCase();
  state.userInsertAttempts.set(username, (state.userInsertAttempts.get(username) ?? 0) + 1);
}

/** What the org did with each write of a User, for tests that reconstruct a history (the chaos checker). */
function journalUserWrite(state: OrgState, username: string, op: 'insert' | 'update', input: FieldInput, result: SaveResult): void {
  const key = username.toLowerCase();
  const fields = [...input].filter(([name]) => name !== 'Id').map(([name, value]) => `${name}=${String(value)}`);
  const outcome = result.success ? 'ok' : (result.errors[0]?.statusCode ?? 'failed');
  const origin = state.requestOrigin ? ` from ${state.requestOrigin}` : '';
  const entry = `${new Date().toISOString().slice(11, 23)} ${op} ${outcome} ${fields.join(' ')}${origin}`;
  const writes = state.userWrites.get(key);
  if (writes) writes.push(entry);
  else state.userWrites.set(key, [entry]);
}

/** `idText` as the client sent it; a failure for a missing row uses the collection's wording. */
export function updateRecord(...args: Parameters<typeof updateAny>): SaveResult {
  const [state, sobject, idText, input] = args;
  const result = updateAny(...args);
  if (sobject.name === 'User') {
    const user = state.get('User', idText);
    if (user) journalUserWrite(state, String(user['Username']), 'update', input, result);
  }
  return result;
}

function updateAny(
  state: OrgState,
  sobject: SObjectDef,
  idText: string,
  input: FieldInput,
  actorId: string,
  undo?: UndoEntry[],
): SaveResult {
  if (!isIdShaped(idText)) return failure({ statusCode: 'MALFORMED_ID', message: `malformed id ${idText}`, fields: [] });
  const existing = state.get(sobject.name, idText);
  if (!existing) return failure({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] });
  const fieldError = checkFieldRules(sobject, input, existing, state);
  if (fieldError) return failure(fieldError);
  const record: SObjectRecord = { ...existing };
  for (const [name, value] of input) if (name !== 'Id') record[name] = value;
  const rules = RULES[sobject.name] ?? {};
  rules.derive?.(record, existing, state);
  const ruleError = rules.validate?.(record, existing, state);
  if (ruleError) return failure(ruleError);
  stamp(record, actorId, false);
  undo?.push({ type: sobject.name, id: String(existing['Id']), before: existing });
  state.put(sobject.name, record);
  return { id: String(existing['Id']), success: true, errors: [] };
}

export function deleteRecord(state: OrgState, sobject: SObjectDef, idText: string, undo?: UndoEntry[]): SaveResult {
  if (!isIdShaped(idText)) return failure({ statusCode: 'MALFORMED_ID', message: `malformed id ${idText}`, fields: [] });
  if (!sobject.deletable)
    return failure({ statusCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be deleted', fields: [] });
  const existing = state.get(sobject.name, idText);
  if (!existing) return failure({ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] });
  const id = String(toId18(idText));
  state.remove(sobject.name, id);
  if (sobject.name === 'Group') removeMembershipsOf(state, id, undo);
  undo?.push({ type: sobject.name, id, before: existing });
  return { id, success: true, errors: [] };
}

/** Deleting a group deletes its member rows and its own memberships in other groups. */
function removeMembershipsOf(state: OrgState, groupId: string, undo?: UndoEntry[]): void {
  for (const member of state.all('GroupMember')) {
    if (member['GroupId'] === groupId || member['UserOrGroupId'] === groupId) {
      state.remove('GroupMember', String(member['Id']));
      undo?.push({ type: 'GroupMember', id: String(member['Id']), before: member });
    }
  }
}

export function rollBack(state: OrgState, undo: UndoEntry[]): void {
  for (const entry of [...undo].reverse()) {
    if (entry.before) state.put(entry.type, entry.before);
    else state.remove(entry.type, entry.id);
  }
}
