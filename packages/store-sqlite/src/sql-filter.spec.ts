import Database from 'better-sqlite3';
import { DEFAULT_TENANT, parseFilter } from '@provisio/core/engine';
import { migrate } from './migrations.js';
import { tenantTables, translateFilter, USER_TABLE } from './sql-filter.js';

describe('SCIM filter to SQL', () => {
  const db = new Database(':memory:');
  migrate(db);
  afterAll(() => db.close());
  // As a tenant's list query runs it (runIdentityQuery): its rows only, its side tables' rows only.
  const plan = (filter: string) => {
    const fragment = translateFilter(parseFilter(filter), tenantTables(DEFAULT_TENANT).users);
    if (!fragment) throw new Error(`${filter} was not translated`);
    const rows = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM users WHERE tenant = ? AND (${fragment.sql})`)
      .all(DEFAULT_TENANT, ...fragment.params) as { detail: string }[];
    return { exact: fragment.exact, detail: rows.map((r) => r.detail).join(' | ') };
  };

  it.each([
    ['userName eq "x"', /USING INDEX sqlite_autoindex_users|user_name_lower/],
    ['externalId eq "x"', /users_external_id/],
    // Indexed where a value is present: `pr` asks for exactly those rows.
    ['externalId pr', /users_external_id/],
    ['id eq "x"', /PRIMARY KEY|sqlite_autoindex_users_1|users_tenant_id/],
    ['emails.value eq "x@y"', /user_emails_value/],
    ['displayName eq "x"', /users_display_name_lower/],
  ])('answers %s exactly from an index', (filter, index) => {
    const { exact, detail } = plan(filter);
    expect(exact).toBe(true);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/^SCAN users$/);
  });

  // No index of their own (each would cost every write of every tenant a page): exact in SQL, over the tenant's rows.
  it.each(['meta.lastModified gt "2026-01-01T00:00:00Z"', 'meta.created lt "2026-01-01T00:00:00Z"', 'active eq true'])(
    "answers %s exactly in SQL by walking the tenant's rows",
    (filter) => {
      const { exact, detail } = plan(filter);
      expect(exact).toBe(true);
      expect(detail).toBe('SEARCH users USING INDEX users_tenant_id (tenant=?)');
    },
  );

  it('narrows by the indexed side of an "and" and leaves the rest to matchesFilter', () => {
    const fragment = translateFilter(parseFilter('userName eq "x" and name.familyName eq "y"'), USER_TABLE);
    expect(fragment).toEqual({ sql: 'user_name_lower = ?', params: ['x'], exact: false });
    expect(translateFilter(parseFilter('name.familyName eq "y"'), USER_TABLE)).toBeUndefined();
  });
});
