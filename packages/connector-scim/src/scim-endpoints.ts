import type { ScimConfig } from './scim-config.js';

/** Where everything is, from baseUrl or from WSO2's user/group endpoints. */
export interface ScimEndpoints {
  users: string;
  groups: string;
  /** The service root: ServiceProviderConfig and Bulk live below it. */
  root: string;
  /** Bulk operation paths relative to root ("/Users"), or undefined when the endpoints are not below root. */
  bulkUsersPath?: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
const parentOf = (url: string) => trimSlash(url).replace(/\/[^/]*$/, '');

export function resolveEndpoints(config: Pick<ScimConfig, 'baseUrl' | 'userEndpoint' | 'groupEndpoint'>): ScimEndpoints {
  const base = config.baseUrl === undefined ? undefined : trimSlash(config.baseUrl);
  const users = trimSlash(config.userEndpoint ?? `${base}/Users`);
  const root = base ?? parentOf(users);
  const groups = trimSlash(config.groupEndpoint ?? `${root}/Groups`);
  const bulkUsersPath = users.startsWith(`${root}/`) ? users.slice(root.length) : undefined;
  return { users, groups, root, bulkUsersPath };
}

export function resourceUrl(collection: string, id: string): string {
  return `${collection}/${encodeURIComponent(id)}`;
}
