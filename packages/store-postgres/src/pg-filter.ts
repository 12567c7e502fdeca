import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import { FilterCompiler, POSTGRES, type EntityTable } from '@provisio/store-sql';

/**
 * The PostgreSQL column model of the identity tables (alias `t`, side tables `s`)
 * for the shared SCIM-filter compiler (@provisio/store-sql): dates compare as
 * epoch ms and sort by their text, multi-valued attributes are EXISTS over their
 * index tables.
 */
/** The columns users and groups have alike. */
const SHARED_COLUMNS: EntityTable['columns'] = {
  id: { expr: 't.id', kind: 'text', caseExact: true, always: true, unique: true },
  externalid: { expr: 't.external_id', kind: 'text', caseExact: true },
  'meta.created': { expr: 't.created_ms', sortExpr: 't.created_at', kind: 'date', always: true },
  'meta.lastmodified': { expr: 't.updated_ms', sortExpr: 't.updated_at', kind: 'date', always: true },
};

export const USER_TABLE: EntityTable = {
  name: 'users',
  schema: SCIM_USER_SCHEMA.toLowerCase(),
  document: 't.resource::text',
  id: 't.id',
  columns: {
    ...SHARED_COLUMNS,
    username: { expr: 't.user_name_lower', kind: 'text', always: true, unique: true },
    displayname: { expr: 't.display_name_lower', kind: 'text' },
    active: { expr: 't.active', kind: 'bool', always: true },
  },
  sortOnly: { emails: 't.email_sort', 'emails.value': 't.email_sort' },
  multiValued: {
    emails: {
      from: 'user_emails s',
      key: 's.user_id',
      present: 's.present',
      subs: {
        value: { expr: 's.value_lower', kind: 'text' },
        type: { expr: 's.type_lower', kind: 'text' },
        primary: { expr: 's.is_primary', kind: 'bool' },
      },
    },
    // The derived `groups` of the user view: one value per group that lists the user as a member.
    groups: {
      from: 'group_members s JOIN groups g ON g.id = s.group_id',
      key: 's.member_id',
      present: 'TRUE',
      subs: {
        value: { expr: 'g.id_lower', kind: 'text', always: true },
        display: { expr: 'g.display_name_lower', kind: 'text', always: true },
      },
    },
  },
};

export const GROUP_TABLE: EntityTable = {
  name: 'groups',
  schema: SCIM_GROUP_SCHEMA.toLowerCase(),
  document: 't.resource::text',
  id: 't.id',
  columns: {
    ...SHARED_COLUMNS,
    displayname: { expr: 't.display_name_lower', kind: 'text', always: true },
  },
  sortOnly: {},
  multiValued: {
    members: {
      from: 'group_members s',
      key: 's.group_id',
      present: "(s.member_id <> '' OR s.display <> '' OR s.type <> '')",
      subs: {
        value: { expr: 's.member_id_lower', kind: 'text', always: true },
        type: { expr: 's.type_lower', kind: 'text' },
        display: { expr: 's.display_lower', kind: 'text' },
      },
    },
  },
};

const compiler = new FilterCompiler(POSTGRES);

export const translateFilter = compiler.translate.bind(compiler);
export const sortColumn = compiler.sortColumn.bind(compiler);
