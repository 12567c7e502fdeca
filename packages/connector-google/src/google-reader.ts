import { fetchPage, PermanentError, type ReadRequest, type RemoteGroup, type RemotePage, type RemoteUser } from '@provisio/core';
import type { GoogleConfig } from './google-config.js';
import { DEFAULT_USER_MAPPING } from './google-default-mapping.js';
import { GROUP_FIELDS, type GoogleGroup } from './google-group-mapper.js';
import type { GoogleSession } from './google-session.js';
import { readableFields, remoteUserOf, userFieldSelector } from './google-user-reader-mapper.js';

/** Google's largest pages: users.list takes maxResults up to 500, groups.list and members.list 200. */
const MAX_USER_PAGE = 500;
const MAX_GROUP_PAGE = 200;
/** A bound on the pages of one listing: a token that never ends is Google's fault, not a reason to loop. */
const MAX_PAGES = 100_000;

type Scope = { customer: string } | { domain: string };

/**
 * The read side over the Directory API: users.list / groups.list page by page with pageToken,
 * `fields` asking for only what is read back. Google tells no totals, so there is no totalHint.
 */
export class GoogleReader {
  constructor(
    private readonly session: GoogleSession,
    private readonly config: GoogleConfig,
  ) {}

  /** The whole customer (`my_customer`: every domain), or the configured domain only. */
  private get scope(): Scope {
    return this.config.listScope === 'domain' ? { domain: this.config.domain } : { customer: this.config.customer };
  }

  async *listUsers(request?: ReadRequest): AsyncGenerator<RemotePage<RemoteUser>> {
    const fields = readableFields(request?.attributes ?? Object.keys(DEFAULT_USER_MAPPING));
    const selector = `nextPageToken,users(${userFieldSelector(fields)})`;
    const maxResults = Math.min(this.config.pageSize, MAX_USER_PAGE);
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data } = await fetchPage(() =>
        this.session.call(`users.list (page ${page + 1})`, (d) =>
          d.users.list({ ...this.scope, maxResults, fields: selector, ...(pageToken ? { pageToken } : {}) }),
        ),
      );
      const users = data.users ?? [];
      if (users.length > 0) yield { items: users.map((u) => remoteUserOf(u, fields)) };
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) return;
    }
    throw new PermanentError(`users.list: more than ${MAX_PAGES} pages; stopped`);
  }

  async getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    const fields = readableFields(request?.attributes ?? Object.keys(DEFAULT_USER_MAPPING));
    const user = await this.session.call(
      `users.get ${remoteId}`,
      async (d) => (await d.users.get({ userKey: remoteId, fields: userFieldSelector(fields) })).data,
      { onNotFound: () => null },
    );
    return user ? remoteUserOf(user, fields) : null;
  }

  async *listGroups(request?: ReadRequest): AsyncGenerator<RemotePage<RemoteGroup>> {
    const asked = groupFields(request);
    const maxResults = Math.min(this.config.pageSize, MAX_GROUP_PAGE);
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data } = await fetchPage(() =>
        this.session.call(`groups.list (page ${page + 1})`, (d) =>
          d.groups.list({
            ...this.scope,
            maxResults,
            fields: 'nextPageToken,groups(id,email,name,description)',
            ...(pageToken ? { pageToken } : {}),
          }),
        ),
      );
      const groups = data.groups ?? [];
      const items: RemoteGroup[] = [];
      for (const group of groups) items.push(await this.remoteGroupOf(group, asked));
      if (items.length > 0) yield { items };
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) return;
    }
    throw new PermanentError(`groups.list: more than ${MAX_PAGES} pages; stopped`);
  }

  async getGroup(remoteId: string, request?: ReadRequest): Promise<RemoteGroup | null> {
    const group = await this.session.call(
      `groups.get ${remoteId}`,
      async (d) => (await d.groups.get({ groupKey: remoteId, fields: 'id,email,name,description' })).data,
      { onNotFound: () => null },
    );
    return group ? this.remoteGroupOf(group, groupFields(request)) : null;
  }

  private async remoteGroupOf(group: GoogleGroup, asked: readonly string[]): Promise<RemoteGroup> {
    const remoteId = String(group.id);
    const attributes: Record<string, unknown> = {};
    for (const field of asked) {
      const value = group[field as (typeof GROUP_FIELDS)[number]];
      if (typeof value === 'string' && value !== '') attributes[field] = value;
    }
    return { remoteId, remoteName: group.name ?? group.email ?? remoteId, attributes, memberRemoteIds: await this.memberIds(remoteId) };
  }

  /** The group's direct user members (nested groups and outside addresses are not Provisio users). */
  private async memberIds(groupKey: string): Promise<string[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data } = await this.session.call(`members.list ${groupKey}`, (d) =>
        d.members.list({
          groupKey,
          maxResults: MAX_GROUP_PAGE,
          fields: 'nextPageToken,members(id,type)',
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      for (const member of data.members ?? []) if (member.type === 'USER' && member.id) ids.push(member.id);
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) return ids;
    }
    throw new PermanentError(`members.list ${groupKey}: more than ${MAX_PAGES} pages; stopped`);
  }
}

function groupFields(request: ReadRequest | undefined): string[] {
  const asked = [...new Set(request?.attributes ?? ['name'])];
  const unknown = asked.filter((f) => !(GROUP_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw new PermanentError(`cannot read Google group field(s) ${unknown.join(', ')}; known: ${GROUP_FIELDS.join(', ')}`);
  return asked;
}
