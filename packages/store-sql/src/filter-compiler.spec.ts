import { parseFilter } from '@provisio/core/engine';
import { FilterCompiler, param, POSTGRES, sql, SQLITE, type EntityTable, type SqlDialect } from './index.js';

// A small column model in the shape both stores describe theirs with.
const TABLE: EntityTable = {
  name: 'users',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:user',
  id: 't.id',
  columns: {
    username: { expr: 't.user_name_lower', kind: 'text', always: true, unique: true },
    displayname: { expr: 't.display_name_lower', kind: 'text' },
    active: { expr: 't.active', kind: 'bool', always: true },
    'meta.created': { expr: 't.created_ms', sortExpr: 't.created_at', kind: 'date', always: true },
  },
  sortOnly: { emails: 't.email_sort' },
  multiValued: {
    emails: { from: 'user_emails s', key: 's.user_id', present: 's.present', subs: { value: { expr: 's.value_lower', kind: 'text' } } },
  },
};

const compile = (dialect: SqlDialect, filter: string, table = TABLE) => {
  const condition = new FilterCompiler(dialect).translate(parseFilter(filter), table);
  return condition && { ...dialect.render(condition.sql), exact: condition.exact };
};

describe('one SCIM filter compiler, two dialects', () => {
  it('spells the same condition in each dialect, with its placeholders', () => {
    expect(compile(SQLITE, 'userName eq "Ann" and not (displayName sw "x")')).toEqual({
      text: '(t.user_name_lower = ?) AND (NOT coalesce((substr(t.display_name_lower, 1, length(?)) = ?), 0))',
      values: ['ann', 'x', 'x'],
      exact: true,
    });
    expect(compile(POSTGRES, 'userName eq "Ann" and not (displayName sw "x")')).toEqual({
      text: '(t.user_name_lower = $1) AND (NOT coalesce((t.display_name_lower LIKE $2), FALSE))',
      values: ['ann', 'x%'],
      exact: true,
    });
  });

  it('asks about a side table with IN in SQLite and EXISTS in PostgreSQL', () => {
    expect(compile(SQLITE, 'emails co "@a"')?.text).toBe('t.id IN (SELECT s.user_id FROM user_emails s WHERE instr(s.value_lower, ?) > 0)');
    expect(compile(POSTGRES, 'emails ne "b@a"')).toEqual({
      text: 'NOT EXISTS (SELECT 1 FROM user_emails s WHERE s.user_id = t.id AND (s.value_lower = $1))',
      values: ['b@a'],
      exact: true,
    });
  });

  it("keeps every side-table read to the table's side scope (a tenant), placeholders in order", () => {
    const scoped = { ...TABLE, sideScope: sql`s.tenant = ${param('acme.example.com')}` };
    expect(compile(SQLITE, 'userName eq "x" and emails.value eq "b@a"', scoped)).toEqual({
      text: '(t.user_name_lower = ?) AND (t.id IN (SELECT s.user_id FROM user_emails s WHERE s.tenant = ? AND (s.value_lower = ?)))',
      values: ['x', 'acme.example.com', 'b@a'],
      exact: true,
    });
    expect(compile(POSTGRES, 'emails ne "b@a"', scoped)).toEqual({
      text: 'NOT EXISTS (SELECT 1 FROM user_emails s WHERE s.user_id = t.id AND (s.tenant = $1 AND (s.value_lower = $2)))',
      values: ['acme.example.com', 'b@a'],
      exact: true,
    });
    expect(compile(SQLITE, 'emails pr', scoped)?.text).toBe(
      't.id IN (SELECT s.user_id FROM user_emails s WHERE s.tenant = ? AND (s.present))',
    );
  });

  it('encodes dates and booleans as each store keeps them', () => {
    expect(compile(SQLITE, 'meta.created gt "2026-01-01T00:00:00+01:00" and active eq true')?.values).toEqual([
      '2025-12-31T23:00:00.000Z',
      1,
    ]);
    expect(compile(POSTGRES, 'meta.created gt "2026-01-01T00:00:00+01:00" and active eq true')?.values).toEqual([
      Date.parse('2025-12-31T23:00:00Z'),
      true,
    ]);
  });

  it('escapes LIKE wildcards in PostgreSQL and leaves a NUL to matchesFilter', () => {
    expect(compile(POSTGRES, 'displayName co "50%_a\\\\b"')?.values).toEqual(['%50\\%\\_a\\\\b%']);
    expect(compile(POSTGRES, 'displayName eq "a\\u0000b"')).toBeUndefined();
    expect(compile(SQLITE, 'displayName eq "a\\u0000b"')?.values).toEqual(['a\u0000b']);
  });

  it('narrows by the side it can translate and marks the result inexact', () => {
    expect(compile(SQLITE, 'userName eq "x" and name.familyName eq "y"')).toEqual({
      text: 't.user_name_lower = ?',
      values: ['x'],
      exact: false,
    });
    expect(compile(POSTGRES, 'userName eq "x" or name.familyName eq "y"')).toBeUndefined();
  });

  it('narrows an extension attribute to rows whose stored JSON holds the text, leaving the rest to matchesFilter', () => {
    const withDocument = { ...TABLE, document: 't.resource::text' };
    const compileExtension = (dialect: SqlDialect, filter: string) => {
      const condition = new FilterCompiler(dialect).translate(parseFilter(filter), withDocument);
      return condition && { ...dialect.render(condition.sql), exact: condition.exact };
    };
    const hr = 'urn:example:params:scim:schemas:extension:hr:2.0:User';
    expect(compileExtension(POSTGRES, `${hr}:costCenter eq "CC-1"`)).toEqual({
      text: "lower(replace(replace(t.resource::text, '\u0130', 'i'), '\u212A', 'k')) LIKE $1",
      values: ['%cc-1%'],
      exact: false,
    });
    expect(compileExtension(SQLITE, `userName eq "Ann" and ${hr}:costCenter sw "CC"`)).toMatchObject({
      values: ['ann', 'cc'],
      exact: false,
    });
    // Numbers, booleans, dates, JSON-escaped text and orderings compare otherwise than as stored text: not narrowed.
    for (const value of ['3', '"3.0"', '"True"', '"2024-01-01T00:00:00Z"', '"a\\"b"', '"é"'])
      expect(compileExtension(SQLITE, `${hr}:x eq ${value}`)).toBeUndefined();
    expect(compileExtension(SQLITE, `${hr}:x gt "a"`)).toBeUndefined();
    expect(compile(SQLITE, `${hr}:costCenter eq "CC-1"`)).toBeUndefined(); // no document column described
  });

  it('names the sort expression, its tie-breaking need, or nothing', () => {
    const compiler = new FilterCompiler(SQLITE);
    expect(compiler.sortColumn({ attribute: 'userName' }, TABLE)).toEqual({ expr: 't.user_name_lower', unique: true });
    expect(compiler.sortColumn({ attribute: 'meta', subAttribute: 'created' }, TABLE)).toEqual({ expr: 't.created_at', unique: false });
    expect(compiler.sortColumn({ attribute: 'emails' }, TABLE)).toEqual({ expr: 't.email_sort', unique: false });
    expect(compiler.sortColumn({ attribute: 'nickName' }, TABLE)).toBeUndefined();
  });
});
