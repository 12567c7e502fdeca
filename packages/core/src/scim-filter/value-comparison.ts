import type { CompareOperator, CompareValue } from './filter-ast.js';

/**
 * Compares one attribute value with a filter value (RFC 7644 §3.4.2.2):
 * - strings: case-insensitive unless the attribute is caseExact; gt/ge/lt/le lexicographic (code units);
 * - two xsd:dateTime strings (`meta.lastModified gt "2011-05-13T04:42:34Z"`): chronological;
 * - numbers: numeric (a numeric string attribute is read as a number);
 * - booleans: eq only (ne is handled by the caller as "not eq"). The strings "true"/"false" in any case
 *   count as booleans on either side, because Microsoft Entra ID sends "True"/"False" for booleans.
 * `null` never reaches this function: the caller handles presence.
 */
export function compareValue(actual: unknown, op: CompareOperator, expected: Exclude<CompareValue, null>, caseExact: boolean): boolean {
  if (typeof expected === 'boolean') return op === 'eq' && asBoolean(actual) === expected;
  if (typeof expected === 'number') {
    const number = asNumber(actual);
    return number !== undefined && (op === 'eq' ? number === expected : order(number, expected, op));
  }
  if (typeof actual === 'boolean') return op === 'eq' && asBoolean(expected) === actual;
  if (typeof actual === 'number') {
    const number = asNumber(expected);
    if (number !== undefined && !isSubstringOperator(op)) return op === 'eq' ? actual === number : order(actual, number, op);
    return compareStrings(String(actual), op, expected, caseExact);
  }
  if (typeof actual !== 'string') return false;
  if (!isSubstringOperator(op)) {
    const actualTime = dateTimeOf(actual);
    const expectedTime = actualTime === undefined ? undefined : dateTimeOf(expected);
    if (actualTime !== undefined && expectedTime !== undefined) {
      return op === 'eq' ? actualTime === expectedTime : order(actualTime, expectedTime, op);
    }
  }
  return compareStrings(actual, op, expected, caseExact);
}

function compareStrings(actual: string, op: CompareOperator, expected: string, caseExact: boolean): boolean {
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq':
      return a === e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return order(a, e, op);
  }
}

function order<T extends number | string>(a: T, b: T, op: CompareOperator): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

function isSubstringOperator(op: CompareOperator): boolean {
  return op === 'co' || op === 'sw' || op === 'ew';
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

// xsd:dateTime as SCIM uses it (RFC 7643 §2.3.5), e.g. 2011-05-13T04:42:34Z or with an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/i;

function dateTimeOf(value: string): number | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
