/**
 * A SOQL string literal. Backslash and quote escapes are Salesforce's documented
 * escape sequences; `%` and `_` are left alone because they only mean something in LIKE,
 * which we never build from user data.
 */
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    .replaceAll(String.fromCharCode(8), '\\b');
  return `'${escaped}'`;
}

/** `('a', 'b')` for IN; callers keep lists at or under 200 so the URL stays short. */
export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** The query resource path for a SOQL statement. */
export function queryPath(soql: string): string {
  return `query?q=${encodeURIComponent(soql)}`;
}
