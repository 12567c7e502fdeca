import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import type { Column, EntityTable, MultiValued } from './entity-table.js';

/**
 * How one store's queries spell the identity tables both stores keep (users, groups,
 * user_emails, group_members): the SCIM attributes, their kinds and side tables are
 * the same; aliases, date encodings and what is kept lower-cased are the store's.
 */
export interface IdentityTableSpelling {
  /** A column of users or groups as the store's SELECT names it (`t.id`, or `id`). */
  owner(column: string): string;
  /** A column of user_emails or group_members as a side-table condition names it. */
  side(column: string): string;
  /** The stored resource as JSON text. */
  document: string;
  /** meta.created and meta.lastModified, from their columns' stem (`created`, `updated`). */
  date(stem: 'created' | 'updated'): Pick<Column, 'expr' | 'sortExpr'>;
  /** Sort keys of users kept in a column of their own. */
  sortOnly?: Record<string, string>;
  /** The FROM of user_emails and the condition on one of its rows for `emails pr`. */
  emails: Pick<MultiValued, 'from' | 'present'>;
  /** The derived `groups` of a user: the groups that list it as a member. */
  groups: MultiValued;
  /** group_members as `members`: its FROM, `members pr`, and a member column lower-cased. */
  members: Pick<MultiValued, 'from' | 'present'> & { lower(column: 'member_id' | 'type' | 'display'): string; valueAlways: boolean };
}

/** The users and groups tables for the filter compiler, spelled as the store spells them. */
export function identityTables(spelling: IdentityTableSpelling): { users: EntityTable; groups: EntityTable } {
  const { owner, side, members } = spelling;
  const text = (expr: string, more: Partial<Column> = {}): Column => ({ expr, kind: 'text', ...more });
  const shared: EntityTable['columns'] = {
    id: text(owner('id'), { caseExact: true, always: true, unique: true }),
    externalid: text(owner('external_id'), { caseExact: true }),
    'meta.created': { ...spelling.date('created'), kind: 'date', always: true },
    'meta.lastmodified': { ...spelling.date('updated'), kind: 'date', always: true },
  };
  const common = { document: spelling.document, id: owner('id') };
  return {
    users: {
      ...common,
      name: 'users',
      schema: SCIM_USER_SCHEMA.toLowerCase(),
      columns: {
        ...shared,
        username: text(owner('user_name_lower'), { always: true, unique: true }),
        displayname: text(owner('display_name_lower')),
        active: { expr: owner('active'), kind: 'bool', always: true },
      },
      sortOnly: spelling.sortOnly,
      multiValued: {
        emails: {
          ...spelling.emails,
          key: side('user_id'),
          subs: { value: text(side('value_lower')), type: text(side('type_lower')), primary: { expr: side('is_primary'), kind: 'bool' } },
        },
        groups: spelling.groups,
      },
    },
    groups: {
      ...common,
      name: 'groups',
      schema: SCIM_GROUP_SCHEMA.toLowerCase(),
      columns: { ...shared, displayname: text(owner('display_name_lower'), { always: true }) },
      multiValued: {
        members: {
          from: members.from,
          key: side('group_id'),
          present: members.present,
          subs: {
            value: text(members.lower('member_id'), members.valueAlways ? { always: true } : {}),
            type: text(members.lower('type')),
            display: text(members.lower('display')),
          },
        },
      },
    },
  };
}
