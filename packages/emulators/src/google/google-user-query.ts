// The users.list `query` language (documented subset): clauses `field:value`, `field=value`,
// `field:'quoted value'`, `field:prefix*`, bare words, implicitly AND-ed.
import { googleErrors } from './google-errors.js';
import type { JsonValue } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';
import { fullNameOf } from './google-resources.js';
import type { UserRecord } from './google-state.js';

interface Clause {
  field?: string;
  operator: '=' | ':';
  value: string;
  prefix: boolean;
}

type Getter = (user: UserRecord) => Array<string | boolean>;

const PREFIX_FIELDS = new Set(['email', 'givenName', 'familyName']);

const nameOf = (user: UserRecord) => (isJsonObject(user.fields['name']) ? user.fields['name'] : {});
const entries = (value: JsonValue | undefined, key: string): string[] =>
  Array.isArray(value) ? value.flatMap((item) => (isJsonObject(item) && typeof item[key] === 'string' ? [item[key] as string] : [])) : [];
const text = (value: JsonValue | undefined): string[] => (typeof value === 'string' ? [value] : []);
const flag = (value: JsonValue | undefined): boolean[] => [value === true];

const GETTERS: Record<string, Getter> = {
  email: (u) => [u.primaryEmail, ...u.aliases],
  givenName: (u) => text(nameOf(u)['givenName']),
  familyName: (u) => text(nameOf(u)['familyName']),
  name: (u) => [fullNameOf(nameOf(u))],
  externalId: (u) => entries(u.fields['externalIds'], 'value'),
  phone: (u) => entries(u.fields['phones'], 'value'),
  orgName: (u) => entries(u.fields['organizations'], 'name'),
  orgTitle: (u) => entries(u.fields['organizations'], 'title'),
  orgDepartment: (u) => entries(u.fields['organizations'], 'department'),
  orgDescription: (u) => entries(u.fields['organizations'], 'description'),
  orgCostCenter: (u) => entries(u.fields['organizations'], 'costCenter'),
  orgUnitPath: (u) => [typeof u.fields['orgUnitPath'] === 'string' ? u.fields['orgUnitPath'] : '/'],
  isAdmin: (u) => [u.isAdmin],
  isDelegatedAdmin: () => [false],
  isSuspended: (u) => flag(u.fields['suspended']),
  isArchived: (u) => flag(u.fields['archived']),
};

const CLAUSE = /^([A-Za-z]+)(=|:)(.*)$/s;

export function parseUserQuery(query: string | null): Clause[] {
  if (query === null || query.trim() === '') return [];
  return splitClauses(query).map(parseClause);
}

export function matchesUserQuery(user: UserRecord, clauses: Clause[]): boolean {
  return clauses.every((clause) => matchesClause(user, clause));
}

/** Splits a query at whitespace outside quotes (`name:'Sales Team'` is one clause). */
export function splitClauses(query: string): string[] {
  const clauses: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of query.trim()) {
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      current += char;
    } else if (/\s/.test(char)) {
      if (current) clauses.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quote) throw googleErrors.invalid('Invalid Input');
  if (current) clauses.push(current);
  return clauses;
}

function parseClause(raw: string): Clause {
  const match = CLAUSE.exec(raw);
  if (!match) return { operator: ':', value: unquote(raw), prefix: false };
  const [, field, operator, rawValue] = match;
  if (!GETTERS[field]) throw googleErrors.invalid('Invalid Input');
  const value = unquote(rawValue);
  const prefix = operator === ':' && value.endsWith('*') && PREFIX_FIELDS.has(field);
  return { field, operator: operator as Clause['operator'], value: prefix ? value.slice(0, -1) : value, prefix };
}

export function unquote(value: string): string {
  const first = value[0];
  if ((first === "'" || first === '"') && value.endsWith(first) && value.length >= 2) return value.slice(1, -1);
  return value;
}

function matchesClause(user: UserRecord, clause: Clause): boolean {
  if (!clause.field) {
    const candidates = [...GETTERS.givenName(user), ...GETTERS.familyName(user), ...GETTERS.email(user)];
    return candidates.some((c) => typeof c === 'string' && containsWord(c, clause.value));
  }
  const values = GETTERS[clause.field](user);
  const wanted = clause.value.toLowerCase();
  return values.some((value) => {
    if (typeof value === 'boolean') return String(value) === wanted;
    const actual = value.toLowerCase();
    if (clause.operator === '=') return actual === wanted;
    if (clause.prefix) return actual.startsWith(wanted) || words(actual).some((w) => w.startsWith(wanted));
    return containsWord(actual, wanted);
  });
}

/** Google's `:` matches a whole value or one of its words (an address splits at "@"). */
function containsWord(value: string, wanted: string): boolean {
  const actual = value.toLowerCase();
  const target = wanted.toLowerCase();
  return actual === target || words(actual).includes(target);
}

function words(value: string): string[] {
  return value.split(/[\s@]+/).filter(Boolean);
}
