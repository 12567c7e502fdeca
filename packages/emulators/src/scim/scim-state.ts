// Test-side view of the emulator's data: resources as the service would return them, passwords,
// the request log, seeding and reset.
import type { JsonObject } from './scim-json.js';
import type { ScimRequestLog, LoggedRequest, ReceivedRequest } from './scim-request-log.js';
import { renderResourceV2 } from './scim-resource-renderer.js';
import type { ScimResourceService } from './scim-resource-service.js';
import { normalizeResourceBody } from './scim-resource-validator.js';
import type { ScimSchemas } from './scim-schema-registry.js';
import type { ScimStore } from './scim-store.js';

export interface ScimEmulatorState {
  users(): JsonObject[];
  groups(): JsonObject[];
  findUserByUserName(userName: string): JsonObject | undefined;
  findGroupByDisplayName(displayName: string): JsonObject | undefined;
  /** The password last written for a user (the service never returns it over SCIM). */
  passwordOf(userName: string): string | undefined;
  /** Creates a resource directly (a pre-existing remote account); body in SCIM 2.0 form, schemas optional. */
  seedUser(body: JsonObject): JsonObject;
  seedGroup(body: JsonObject): JsonObject;
  /** Deletes a user or group directly, as DELETE would; false when there is no such resource. */
  removeResource(id: string): boolean;
  requests(): LoggedRequest[];
  /**
   * The latest 1,000 requests that carried a JSON body (POST, PUT, PATCH, /Bulk), oldest first, as
   * received (passwords masked), with the status answered; by method and path prefix when given.
   */
  received(method?: string, pathPrefix?: string): ReceivedRequest[];
  requestCounts(): Record<string, number>;
  countRequests(method?: string, pathPrefix?: string): number;
  /** Requests keyed "METHOD /path status" (e.g. "POST /scim/v2/Users 409"), never capped. */
  requestCountsByStatus(): Record<string, number>;
  /** Every POST to /Users, by lower-cased userName: the statuses answered, in order (a second 201/409 is a second create). */
  userCreateStatuses(): Record<string, number[]>;
  /** The creates of one userName as "status at time", in order, each "from" its X-Provisio-Job and X-Provisio-Worker when it had them. */
  userCreateTimeline(userName: string): string[];
  /** Every create, replace, patch and delete of one user, by userName: "time METHOD status", "from" as above. */
  userWriteTimeline(userName: string): string[];
  /** Requests to the OAuth token endpoint (auth type "oauth2"), granted or not. */
  tokenRequestCount(): number;
  /** Drops every resource and the request log. */
  reset(): void;
  snapshot(): JsonObject;
}

export function createScimState(
  store: ScimStore,
  service: ScimResourceService,
  log: ScimRequestLog,
  schemas: ScimSchemas,
  baseUrl: () => string,
): ScimEmulatorState {
  const render = (kind: 'User' | 'Group') => store.list(kind).map((r) => renderResourceV2(r, store, baseUrl()));
  const seed = (kind: 'User' | 'Group', body: JsonObject): JsonObject => {
    const rt = schemas.resourceType(kind);
    const listed = body['schemas'] ?? [rt.core.id, ...rt.extensions.map((e) => e.id).filter((id) => id in body)];
    const created = service.create(kind, normalizeResourceBody(rt, { ...body, schemas: listed }));
    return renderResourceV2(created, store, baseUrl());
  };
  const state: ScimEmulatorState = {
    users: () => render('User'),
    groups: () => render('Group'),
    findUserByUserName: (userName) => state.users().find((u) => String(u['userName']).toLowerCase() === userName.toLowerCase()),
    findGroupByDisplayName: (name) => state.groups().find((g) => String(g['displayName']).toLowerCase() === name.toLowerCase()),
    passwordOf: (userName) => {
      const user = store.list('User').find((u) => String(u.attrs['userName']).toLowerCase() === userName.toLowerCase());
      const password = user?.attrs['password'];
      return typeof password === 'string' ? password : undefined;
    },
    seedUser: (body) => seed('User', body),
    seedGroup: (body) => seed('Group', body),
    removeResource: (id) => {
      const kind = store.kindOf(id);
      if (kind === undefined) return false;
      service.remove(kind, id);
      return true;
    },
    requests: () => log.list(),
    received: (method, pathPrefix) => log.received(method, pathPrefix),
    requestCounts: () => log.counts(),
    countRequests: (method, pathPrefix) => log.count(method, pathPrefix),
    requestCountsByStatus: () => log.countsByStatus(),
    userCreateStatuses: () => log.userCreateStatuses(),
    userCreateTimeline: (userName) => log.userCreateTimeline(userName),
    userWriteTimeline: (userName) => log.userWriteTimeline(userName),
    tokenRequestCount: () => log.tokenRequests,
    reset: () => {
      store.clear();
      log.clear();
    },
    snapshot: () => ({
      users: state.users(),
      groups: state.groups(),
      requests: log.list().map((r) => ({ ...r })),
      counts: log.counts(),
      tokenRequests: log.tokenRequests,
    }),
  };
  return state;
}
