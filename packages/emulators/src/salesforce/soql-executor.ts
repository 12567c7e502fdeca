// Runs a parsed SOQL query against the org, with Salesforce's semantics:
// case-insensitive text comparison, 15/18-char id equivalence, typed filters,
// one level of parent relationships (Profile.Name, PermissionSet.IsOwnedByProfile).
import { SalesforceRestError } from './errors.js';
import { isIdShaped, toId18 } from './ids.js';
import type { OrgState } from './org-state.js';
import type { FieldValue, SObjectRecord } from './records.js';
import { type FieldDef, type SObjectDef, findField, findSObject } from './schema.js';
import { type Condition, type FieldRef, type Literal, type SoqlQuery, parseSoql } from './soql-parser.js';
import { SoqlSyntaxError } from './soql-tokenizer.js';

export interface SoqlResult {
  sobject: SObjectDef;
  count: boolean;
  totalSize: number;
  records: Record<string, unknown>[];
}

/** A resolved field path: a field on the queried type or on one parent. */
interface ResolvedPath {
  relationship?: { name: string; via: FieldDef; target: SObjectDef };
  field: FieldDef;
}

function queryError(soql: string, offset: number, errorCode: string, message: string): SalesforceRestError {
  const caret = `${' '.repeat(offset)}^`;
  return SalesforceRestError.single(400, errorCode, `\n${soql}\n${caret}\nERROR at Row:1:Column:${offset + 1}\n${message}`);
}

function resolvePath(soql: string, sobject: SObjectDef, ref: FieldRef): ResolvedPath {
  const parts = ref.name.split('.');
  const noSuchColumn = (): SalesforceRestError =>
    queryError(
      soql,
      ref.offset,
      'INVALID_FIELD',
      `No such column '${parts[parts.length - 1]}' on entity '${sobject.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  if (parts.length === 1) {
    const field = findField(sobject, parts[0]);
    if (!field) throw noSuchColumn();
    return { field };
  }
  const via = parts.length === 2 ? findField(sobject, `${parts[0]}Id`) : undefined;
  const target = via?.referenceTo?.length === 1 ? findSObject(via.referenceTo[0]) : undefined;
  if (!via || !target) {
    throw queryError(
      soql,
      ref.offset,
      'INVALID_FIELD',
      `Didn't understand relationship '${parts[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const field = findField(target, parts[1]);
  if (!field) {
    throw queryError(
      soql,
      ref.offset,
      'INVALID_FIELD',
      `No such column '${parts[1]}' on entity '${target.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return { relationship: { name: via.name.slice(0, -2), via, target }, field };
}

function readPath(state: OrgState, record: SObjectRecord, path: ResolvedPath): FieldValue {
  if (!path.relationship) return record[path.field.name] ?? null;
  const parentId = record[path.relationship.via.name];
  const parent = typeof parentId === 'string' ? state.get(path.relationship.target.name, parentId) : undefined;
  return parent ? (parent[path.field.name] ?? null) : null;
}

const isTextual = (field: FieldDef): boolean => !['boolean', 'id', 'reference', 'datetime'].includes(field.type);
const isIdField = (field: FieldDef): boolean => field.type === 'id' || field.type === 'reference';

function checkFilterValue(soql: string, ref: FieldRef, field: FieldDef, value: Literal, quoted: boolean): void {
  if (value === null) return;
  const fail = (message: string): never => {
    throw queryError(soql, ref.offset, 'INVALID_QUERY_FILTER_OPERATOR', message);
  };
  if (field.type === 'boolean' && typeof value !== 'boolean') {
    fail(`value of filter criterion for field '${field.name}' must be of type boolean and should not be enclosed in quotes`);
  }
  if ((isTextual(field) || isIdField(field)) && !quoted) {
    fail(`value of filter criterion for field '${field.name}' must be of type string and should be enclosed in quotes`);
  }
  if (isIdField(field) && !isIdShaped(String(value))) fail(`invalid ID field: ${String(value)}`);
}

function normalise(field: FieldDef, value: FieldValue | Literal): FieldValue {
  if (value === null) return null;
  if (isIdField(field)) return toId18(String(value)) ?? String(value);
  if (typeof value === 'string') return value.toLowerCase();
  return value;
}

function compareValues(a: FieldValue, b: FieldValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) source += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

type Predicate = (record: SObjectRecord) => boolean;

function compile(soql: string, state: OrgState, sobject: SObjectDef, condition: Condition): Predicate {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.operands.map((c) => compile(soql, state, sobject, c));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = condition.operands.map((c) => compile(soql, state, sobject, c));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compile(soql, state, sobject, condition.operand);
      return (r) => !inner(r);
    }
    case 'like': {
      const path = resolvePath(soql, sobject, condition.field);
      if (!isTextual(path.field)) {
        throw queryError(
          soql,
          condition.field.offset,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid operator on ${path.field.type} field: ${path.field.name}`,
        );
      }
      const regexp = likeToRegExp(condition.pattern);
      return (r) => {
        const value = readPath(state, r, path);
        return typeof value === 'string' && regexp.test(value);
      };
    }
    case 'in': {
      const path = resolvePath(soql, sobject, condition.field);
      condition.values.forEach((v, i) => checkFilterValue(soql, condition.field, path.field, v, condition.valuesAreQuoted[i]));
      const wanted = condition.values.map((v) => normalise(path.field, v));
      return (r) => wanted.includes(normalise(path.field, readPath(state, r, path))) !== condition.negated;
    }
    case 'compare': {
      const path = resolvePath(soql, sobject, condition.field);
      checkFilterValue(soql, condition.field, path.field, condition.value, condition.valueIsQuoted);
      const wanted = normalise(path.field, condition.value);
      const op = condition.op;
      return (r) => {
        const actual = normalise(path.field, readPath(state, r, path));
        if (op === '=') return actual === wanted;
        if (op === '!=') return actual !== wanted;
        if (actual === null || wanted === null) return false;
        const order = compareValues(actual, wanted);
        return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
      };
    }
  }
}

function recordAttributes(type: string, id: FieldValue, version: string): { type: string; url: string } {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${String(id)}` };
}

function shape(
  state: OrgState,
  sobject: SObjectDef,
  record: SObjectRecord,
  paths: ResolvedPath[],
  version: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: recordAttributes(sobject.name, record['Id'], version) };
  for (const path of paths) {
    if (!path.relationship) {
      out[path.field.name] = record[path.field.name] ?? null;
      continue;
    }
    const { name, via, target } = path.relationship;
    const parentId = record[via.name];
    const parent = typeof parentId === 'string' ? state.get(target.name, parentId) : undefined;
    if (!parent) {
      out[name] = null;
      continue;
    }
    const nested = (out[name] as Record<string, unknown> | undefined) ?? {
      attributes: recordAttributes(target.name, parent['Id'], version),
    };
    nested[path.field.name] = parent[path.field.name] ?? null;
    out[name] = nested;
  }
  return out;
}

export function runSoql(soql: string, state: OrgState, version: string): SoqlResult {
  let query: SoqlQuery;
  try {
    query = parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlSyntaxError) throw queryError(soql, error.offset, 'MALFORMED_QUERY', error.message);
    throw error;
  }
  const sobject = findSObject(query.from.name);
  if (!sobject) {
    throw queryError(
      soql,
      query.from.offset,
      'INVALID_TYPE',
      `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const paths = query.fields.map((f) => resolvePath(soql, sobject, f));
  const predicate = query.where ? compile(soql, state, sobject, query.where) : () => true;
  const order = query.orderBy.map((item) => ({ item, path: resolvePath(soql, sobject, item.field) }));
  let rows = state.all(sobject.name).filter(predicate);
  if (order.length > 0) {
    rows = [...rows].sort((a, b) => {
      for (const { item, path } of order) {
        const left = normalise(path.field, readPath(state, a, path));
        const right = normalise(path.field, readPath(state, b, path));
        if (left === right) continue;
        if (left === null || right === null) return (left === null) === item.nullsLast ? 1 : -1;
        const result = compareValues(left, right);
        return item.descending ? -result : result;
      }
      return 0;
    });
  }
  rows = rows.slice(query.offset ?? 0, query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit);
  if (query.count) return { sobject, count: true, totalSize: rows.length, records: [] };
  return { sobject, count: false, totalSize: rows.length, records: rows.map((r) => shape(state, sobject, r, paths, version)) };
}
