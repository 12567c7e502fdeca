import { fetchPage, PermanentError, type ReadRequest, type RemoteGroup, type RemotePage, type RemoteUser } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import { asObject, type JsonObject, type ScimDialect } from './scim-dialect.js';
import { resourceUrl } from './scim-endpoints.js';
import { memberIdsOf } from './scim-group-mapper.js';
import type { UserModelCache } from './scim-schema-discovery.js';
import type { ServiceConfigCache } from './scim-service-config.js';
import type { ScimSession } from './scim-session.js';
import type { ScimUserModel } from './scim-user-model.js';
import { DEFAULT_READ_FIELDS, attributesParameter, remoteUserOf } from './scim-user-reading.js';
import { listResources } from './scim-users.js';

/** The page size when neither the config nor the ServiceProviderConfig gives one. */
const DEFAULT_PAGE_SIZE = 100;
/** A bound on the pages of one listing. */
const MAX_PAGES = 100_000;

interface ListPage {
  resources: JsonObject[];
  totalResults: number | undefined;
}

/**
 * The read side over `GET /Users?startIndex=&count=` (RFC 7644 §3.4.2.4). Index paging shifts when
 * the collection changes between two pages: when totalResults shrank, the page is read again from
 * that many positions earlier, and what the previous page already gave is dropped.
 */
export class ScimReader {
  constructor(
    private readonly session: ScimSession,
    private readonly dialect: ScimDialect,
    private readonly config: ScimConfig,
    private readonly endpoints: { users: string; groups: string },
    private readonly features: ServiceConfigCache,
    private readonly models: UserModelCache,
  ) {}

  /** The mapped fields of each account, read where the connector writes them (the same paths, so reconcile sees no false drift). */
  async *listUsers(request?: ReadRequest): AsyncGenerator<RemotePage<RemoteUser>> {
    const fields = request?.attributes ?? DEFAULT_READ_FIELDS;
    const model = await this.models.forKeys(fields);
    for await (const page of this.pages(this.endpoints.users, this.projection(model, fields, '&'))) {
      yield {
        items: page.resources.map((r) => remoteUserOf(model, r, fields)),
        ...(page.totalResults === undefined ? {} : { totalHint: page.totalResults }),
      };
    }
  }

  async getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    const fields = request?.attributes ?? DEFAULT_READ_FIELDS;
    const model = await this.models.forKeys(fields);
    const resource = await this.one(`${resourceUrl(this.endpoints.users, remoteId)}${this.projection(model, fields, '?')}`);
    return resource ? remoteUserOf(model, resource, fields) : null;
  }

  async *listGroups(): AsyncGenerator<RemotePage<RemoteGroup>> {
    for await (const page of this.pages(this.endpoints.groups, '')) {
      yield { items: page.resources.map(remoteGroupOf), ...(page.totalResults === undefined ? {} : { totalHint: page.totalResults }) };
    }
  }

  async getGroup(remoteId: string): Promise<RemoteGroup | null> {
    const resource = await this.one(resourceUrl(this.endpoints.groups, remoteId));
    return resource ? remoteGroupOf(resource) : null;
  }

  /**
   * `attributes=` asking for the fields read back (RFC 7644 §3.4.2.5). Not for 1.1: its drafts leave
   * extension attributes in that parameter undefined, and services drop them, so 1.1 reads whole resources.
   */
  private projection(model: ScimUserModel, fields: readonly string[], separator: '?' | '&'): string {
    const attributes = attributesParameter(model, fields);
    return this.dialect.version === '2.0' ? `${separator}attributes=${encodeURIComponent(attributes)}` : '';
  }

  /** The page size: the configured one, never above what the service advertises (filter.maxResults). */
  async pageSize(): Promise<number> {
    const { maxResults } = await this.features.get();
    const wanted = this.config.pageSize ?? maxResults ?? DEFAULT_PAGE_SIZE;
    return maxResults === undefined ? wanted : Math.min(wanted, maxResults);
  }

  private async one(url: string): Promise<JsonObject | undefined> {
    const response = await this.session.expectOk({ method: 'GET', url, operation: 'read' }, [404]);
    return response.status === 404 ? undefined : asObject(response.body);
  }

  private async *pages(collection: string, query: string): AsyncGenerator<ListPage> {
    const count = await this.pageSize();
    let startIndex = 1;
    let total: number | undefined;
    let previous = new Set<string>();
    for (let n = 0; n < MAX_PAGES; n++) {
      let page = await this.fetch(collection, query, startIndex, count);
      const shrunk = total !== undefined && page.totalResults !== undefined ? Math.min(total - page.totalResults, count) : 0;
      if (shrunk > 0) {
        // Accounts before startIndex went away, so the rest moved up: read from where they are now.
        startIndex = Math.max(1, startIndex - shrunk);
        page = await this.fetch(collection, query, startIndex, count);
      }
      total = page.totalResults;
      const fresh = page.resources.filter((r) => !previous.has(String(r['id'])));
      if (fresh.length > 0) yield { resources: fresh, totalResults: page.totalResults };
      // A service may return fewer than asked (§3.4.2.4): advance by what it returned.
      startIndex += page.resources.length;
      previous = new Set(page.resources.map((r) => String(r['id'])));
      if (page.resources.length === 0 || (page.totalResults !== undefined && startIndex > page.totalResults)) return;
    }
    throw new PermanentError(`listing ${collection}: more than ${MAX_PAGES} pages; stopped`);
  }

  private async fetch(collection: string, query: string, startIndex: number, count: number): Promise<ListPage> {
    const url = `${collection}?startIndex=${startIndex}&count=${count}${query}`;
    const response = await fetchPage(() => this.session.expectOk({ method: 'GET', url, operation: 'read' }));
    const totalResults = asObject(response.body)?.['totalResults'];
    const resources = listResources(response)
      .map(asObject)
      .filter((r): r is JsonObject => r !== undefined && typeof r['id'] === 'string');
    return { resources, totalResults: typeof totalResults === 'number' ? totalResults : undefined };
  }
}

function remoteGroupOf(resource: JsonObject): RemoteGroup {
  const displayName = resource['displayName'];
  const name = typeof displayName === 'string' ? displayName : undefined;
  return {
    remoteId: String(resource['id']),
    ...(name ? { remoteName: name } : {}),
    attributes: name ? { displayName: name } : {},
    memberRemoteIds: memberIdsOf(resource),
  };
}
