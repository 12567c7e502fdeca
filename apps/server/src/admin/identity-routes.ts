import type { Router } from 'express';
import { ADMIN_ROUTES, type GroupDetail, type GroupList, type UserDetail, type UserList } from '@provisio/admin-contract';
import { parseFilter, type GroupRecord, type IdentityQuery, type Store, type UserRecord } from '@provisio/core/engine';
import { jobView, linkView } from './admin-views.js';
import { mount } from './contract-routes.js';
import { fail } from './http-helpers.js';

/** A SCIM filter matching `text` in the names people search by (the text is a JSON string literal, so quotes are safe). */
function searchFilter(entity: 'user' | 'group', text: string): IdentityQuery['filter'] {
  const literal = JSON.stringify(text);
  const fields =
    entity === 'user'
      ? ['userName co', 'displayName co', 'emails.value co', 'name.familyName co', 'externalId eq', 'id eq']
      : ['displayName co', 'externalId eq', 'id eq'];
  return parseFilter(fields.map((f) => `${f} ${literal}`).join(' or '));
}

/** What a person is called in lists: displayName, else name.formatted, else given and family name (many IdPs send only those). */
function shownName(resource: UserRecord['resource']): string | null {
  const parts = [resource.name?.givenName, resource.name?.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return resource.displayName || resource.name?.formatted || (parts.length > 0 ? parts.join(' ') : null);
}

function userSummary(record: UserRecord) {
  const { resource } = record;
  const primary = resource.emails?.find((e) => e.primary) ?? resource.emails?.[0];
  return {
    id: record.id,
    userName: record.userName,
    displayName: resource.displayName ?? null,
    name: shownName(resource),
    email: primary?.value ?? null,
    active: record.active,
    updatedAt: record.updatedAt,
  };
}

function groupSummary(record: GroupRecord) {
  return { id: record.id, displayName: record.displayName, members: record.members.length, updatedAt: record.updatedAt };
}

/** The store query of a console search: its text as a filter, one page of `limit` (default 50) sorted by `sortAttribute`. */
function searchQuery(entity: 'user' | 'group', query: { q?: string; limit?: number }, sortAttribute: string): IdentityQuery {
  return {
    filter: query.q ? searchFilter(entity, query.q) : undefined,
    count: query.limit ?? 50,
    sortBy: { attribute: sortAttribute },
  };
}

/** Each identity's summary with its links per connector. */
function summariesWithLinks<R extends UserRecord | GroupRecord, S>(
  store: Store,
  entity: 'user' | 'group',
  records: R[],
  summary: (record: R) => S,
) {
  return Promise.all(records.map(async (r) => ({ ...summary(r), links: (await store.linksOf(entity, r.id)).map(linkView) })));
}

/** An identity's links per connector and its latest jobs, as its detail page shows them. */
async function linksAndLatestJobs(store: Store, entity: 'user' | 'group', id: string) {
  const [links, jobs] = await Promise.all([store.linksOf(entity, id), store.listJobs({ localId: id, limit: 20 })]);
  return { links: links.map(linkView), jobs: jobs.map(jobView) };
}

/**
 * Users and groups for the console: search (a plain text, not a SCIM filter), and
 * each identity with its links per connector and its latest jobs.
 */
export function identityRoutes(router: Router, store: Store): void {
  mount(router, ADMIN_ROUTES.searchUsers, async ({ query }, _req, res) => {
    const page = await store.queryUsers(searchQuery('user', query, 'userName'));
    const users = await summariesWithLinks(store, 'user', page.records, userSummary);
    res.json({ totalResults: page.totalResults, users } satisfies UserList);
  });

  mount(router, ADMIN_ROUTES.getUser, async ({ params }, _req, res) => {
    const record = await store.getUser(params.id);
    if (!record) {
      fail(res, 404, `no user ${params.id}`);
      return;
    }
    const [linksAndJobs, groups] = await Promise.all([linksAndLatestJobs(store, 'user', record.id), store.groupsOfMember(record.id)]);
    const detail: UserDetail = {
      ...userSummary(record),
      resource: { ...record.resource },
      groups: groups.map((g) => ({ id: g.id, displayName: g.displayName })),
      ...linksAndJobs,
    };
    res.json(detail);
  });

  mount(router, ADMIN_ROUTES.searchGroups, async ({ query }, _req, res) => {
    const page = await store.queryGroups(searchQuery('group', query, 'displayName'));
    const groups = await summariesWithLinks(store, 'group', page.records, groupSummary);
    res.json({ totalResults: page.totalResults, groups } satisfies GroupList);
  });

  mount(router, ADMIN_ROUTES.getGroup, async ({ params }, _req, res) => {
    const record = await store.getGroup(params.id);
    if (!record) {
      fail(res, 404, `no group ${params.id}`);
      return;
    }
    const detail: GroupDetail = {
      ...groupSummary(record),
      memberRefs: record.members,
      ...(await linksAndLatestJobs(store, 'group', record.id)),
    };
    res.json(detail);
  });
}
