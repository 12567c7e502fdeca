import { FilterCompiler, identityTables, param, POSTGRES, sql, type SqlDialect } from '@provisio/store-sql';

/**
 * The PostgreSQL spelling of the identity tables (alias `t`, side tables `s`) for the
 * shared SCIM-filter compiler (@provisio/store-sql): dates compare as epoch ms and
 * sort by their text, group members keep lower-cased copies of their columns.
 * A query names its tenant itself (`t.tenant`, and the table's `sideScope` for `s`).
 */
export const { users: USER_TABLE, groups: GROUP_TABLE } = identityTables({
  owner: (column) => `t.${column}`,
  side: (column) => `s.${column}`,
  document: 't.resource::text',
  date: (stem) => ({ expr: `t.${stem}_ms`, sortExpr: `t.${stem}_at` }),
  sortOnly: { emails: 't.email_sort', 'emails.value': 't.email_sort' },
  emails: { from: 'user_emails s', present: 's.present' },
  groups: {
    from: 'group_members s JOIN groups g ON g.id = s.group_id',
    key: 's.member_id',
    present: 'TRUE',
    subs: {
      value: { expr: 'g.id_lower', kind: 'text', always: true },
      display: { expr: 'g.display_name_lower', kind: 'text', always: true },
    },
  },
  members: {
    from: 'group_members s',
    present: "(s.member_id <> '' OR s.display <> '' OR s.type <> '')",
    lower: (column) => `s.${column}_lower`,
    valueAlways: true,
  },
});

/**
 * The least string above every string that starts with `prefix`, in code point order (how PostgreSQL's
 * "C" collation orders UTF-8); undefined when there is none. A lone surrogate counts as U+FFFD, which is
 * what reaches PostgreSQL in its place.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (ch) => {
    const point = ch.codePointAt(0) ?? 0;
    return point >= 0xd800 && point <= 0xdfff ? 0xfffd : point;
  });
  while (points.length > 0) {
    const next = (points.pop() ?? 0) + 1;
    // Surrogates are no characters: after U+D7FF comes U+E000.
    const point = next === 0xd800 ? 0xe000 : next;
    if (point <= 0x10ffff) return [...points, point].map((p) => String.fromCodePoint(p)).join('');
  }
  return undefined;
}

/**
 * PostgreSQL as the shared dialect spells it, but `sw` as a range besides the LIKE: under row-level
 * security the planner lets only leakproof operators into an index condition, and LIKE is not one, so
 * a prefix alone would read every index entry of the tenant. The range (`>=`, `<` are leakproof) is
 * what the index answers; the LIKE still decides.
 */
const TENANT_POSTGRES: SqlDialect = {
  ...POSTGRES,
  startsWith: (column, value) => {
    const upper = prefixUpperBound(value);
    const range =
      upper === undefined ? sql`${column} >= ${param(value)}` : sql`${column} >= ${param(value)} AND ${column} < ${param(upper)}`;
    return sql`(${range} AND ${POSTGRES.startsWith(column, value)})`;
  },
};

const compiler = new FilterCompiler(TENANT_POSTGRES);

export const translateFilter = compiler.translate.bind(compiler);
export const sortColumn = compiler.sortColumn.bind(compiler);
