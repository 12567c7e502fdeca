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

/**
 * Users and groups for the console: search (a plain text, not a SCIM filter), and
 * each identity with its links per connector and its latest jobs.
 */
export function identityRoutes(router: Router, store: Store): void {
  mount(router, ADMIN_ROUTES.searchUsers, async ({ query }, _req, res) => {
    const page = await store.queryUsers({
      filter: query.q ? searchFilter('user', query.q) : undefined,
      count: query.limit ?? 50,
      sortBy: { attribute: 'userName' },
    });
    const users = await Promise.all(
      page.records.map(async (u) => ({ ...userSummary(u), links: (await store.linksOf('user', u.id)).map(linkView) })),
    );
    res.json({ totalResults: page.totalResults, users } satisfies UserList);
  });

  mount(router, ADMIN_ROUTES.getUser, async ({ params }, _req, res) => {
    const record = await store.getUser(params.id);
    if (!record) {
      fail(res, 404, `no user ${params.id}`);
      return;
    }
    const [links, jobs, groups] = await Promise.all([
      store.linksOf('user', record.id),
      store.listJobs({ localId: record.id, limit: 20 }),
      store.groupsOfMember(record.id),
    ]);
    const detail: UserDetail = {
      ...userSummary(record),
      resource: { ...record.resource },
      groups: groups.map((g) => ({ id: g.id, displayName: g.displayName })),
      links: links.map(linkView),
      jobs: jobs.map(jobView),
    };
    res.json(detail);
  });

  mount(router, ADMIN_ROUTES.searchGroups, async ({ query }, _req, res) => {
    const page = await store.queryGroups({
      filter: query.q ? searchFilter('group', query.q) : undefined,
      count: query.limit ?? 50,
      sortBy: { attribute: 'displayName' },
    });
    const groups = await Promise.all(
      page.records.map(async (g) => ({ ...groupSummary(g), links: (await store.linksOf('group', g.id)).map(linkView) })),
    );
    res.json({ totalResults: page.totalResults, groups } satisfies GroupList);
  });

  mount(router, ADMIN_ROUTES.getGroup, async ({ params }, _req, res) => {
    const record = await store.getGroup(params.id);
    if (!record) {
      fail(res, 404, `no group ${params.id}`);
      return;
    }
    const [links, jobs] = await Promise.all([store.linksOf('group', record.id), store.listJobs({ localId: record.id, limit: 20 })]);
    const detail: GroupDetail = {
      ...groupSummary(record),
      memberRefs: record.members,
      links: links.map(linkView),
      jobs: jobs.map(jobView),
    };
    res.json(detail);
  });
}
