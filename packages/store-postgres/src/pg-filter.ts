import { FilterCompiler, identityTables, POSTGRES } from '@provisio/store-sql';

/**
 * The PostgreSQL spelling of the identity tables (alias `t`, side tables `s`) for the
 * shared SCIM-filter compiler (@provisio/store-sql): dates compare as epoch ms and
 * sort by their text, group members keep lower-cased copies of their columns.
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

const compiler = new FilterCompiler(POSTGRES);

export const translateFilter = compiler.translate.bind(compiler);
export const sortColumn = compiler.sortColumn.bind(compiler);
