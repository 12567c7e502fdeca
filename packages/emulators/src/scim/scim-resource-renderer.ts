// Builds the SCIM 2.0 wire form of a stored resource: schemas, id, attributes, computed
// memberships and meta (RFC 7643 §3.1). Never-returned attributes (password) are left out.
import { ENTERPRISE_SCHEMA_ID, RESOURCE_TYPES } from './scim-core-schemas.js';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import type { ScimStore, StoredResource } from './scim-store.js';

export function resourceLocation(baseUrl: string, res: StoredResource): string {
  return `${baseUrl}${RESOURCE_TYPES[res.kind].endpoint}/${res.id}`;
}

function displayOf(res: StoredResource | undefined): string | undefined {
  const v = res?.attrs['displayName'] ?? res?.attrs['userName'];
  return typeof v === 'string' ? v : undefined;
}

function renderMembers(members: JsonValue, store: ScimStore, baseUrl: string): JsonValue[] {
  if (!Array.isArray(members)) return [];
  return members.filter(isJsonObject).map((m) => {
    const id = String(m['value']);
    const kind = store.kindOf(id);
    const target = kind ? store.get(kind, id) : undefined;
    const out: JsonObject = { value: id, type: kind ?? String(m['type']) };
    if (target) {
      out['$ref'] = resourceLocation(baseUrl, target);
      const display = displayOf(target);
      if (display !== undefined) out['display'] = display;
    }
    return out;
  });
}

/** RFC 7643 §4.1.2: a User's readOnly "groups" reflects the Groups that list it as a member. */
function renderGroupsOfUser(userId: string, store: ScimStore, baseUrl: string): JsonValue[] {
  return store
    .list('Group')
    .filter((g) => Array.isArray(g.attrs['members']) && g.attrs['members'].some((m) => isJsonObject(m) && m['value'] === userId))
    .map((g) => ({ value: g.id, $ref: resourceLocation(baseUrl, g), display: displayOf(g) ?? '', type: 'direct' }));
}

export function renderResourceV2(res: StoredResource, store: ScimStore, baseUrl: string): JsonObject {
  const rt = RESOURCE_TYPES[res.kind];
  const attrs = cloneJson(res.attrs);
  delete attrs['password'];
  // Extensions are stored under their URN, the only attribute names that start with "urn:".
  const schemas: JsonValue[] = [rt.core.id, ...Object.keys(attrs).filter((key) => key.toLowerCase().startsWith('urn:'))];
  const out: JsonObject = { schemas, id: res.id, ...attrs };
  if (res.kind === 'Group' && attrs['members'] !== undefined) out['members'] = renderMembers(attrs['members'], store, baseUrl);
  if (res.kind === 'User') {
    const groups = renderGroupsOfUser(res.id, store, baseUrl);
    if (groups.length > 0) out['groups'] = groups;
    const ext = out[ENTERPRISE_SCHEMA_ID];
    if (isJsonObject(ext) && isJsonObject(ext['manager'])) {
      const managerId = ext['manager']['value'];
      const manager = typeof managerId === 'string' ? store.get('User', managerId) : undefined;
      if (manager) ext['manager'] = { ...ext['manager'], $ref: resourceLocation(baseUrl, manager), displayName: displayOf(manager) ?? '' };
    }
  }
  out['meta'] = {
    resourceType: res.kind,
    created: res.created,
    lastModified: res.lastModified,
    location: resourceLocation(baseUrl, res),
    version: res.version,
  };
  return out;
}
