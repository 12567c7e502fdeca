import type { Store } from '@provisio/core/engine';
import { ScimError } from './scim-error.js';
import type { ResourceKind, ScimSchemas } from './scim-schemas.js';

/**
 * `uniqueness: server` (or global) of a declared extension's single-valued
 * attributes: no other resource of the kind may hold the same value (409
 * uniqueness, RFC 7644 §3.12). Asked of the store with an `eq` filter, so it
 * costs one query per unique attribute present, and nothing without one.
 */
export async function assertUniqueExtensionValues(
  store: Store,
  schemas: ScimSchemas,
  kind: ResourceKind,
  resource: Record<string, unknown>,
  selfId?: string,
): Promise<void> {
  for (const extension of schemas.extensionsOf(kind)) {
    const values = resource[extension.id];
    if (typeof values !== 'object' || values === null) continue;
    for (const def of extension.attributes) {
      const value = (values as Record<string, unknown>)[def.name];
      if (def.uniqueness === undefined || def.multiValued || value === undefined || typeof value === 'object') continue;
      const filter = {
        kind: 'compare' as const,
        path: { schema: extension.id, attribute: def.name },
        op: 'eq' as const,
        value: value as string,
      };
      const query = { filter, count: 2 };
      const page = kind === 'User' ? await store.queryUsers(query) : await store.queryGroups(query);
      if (page.records.some((record) => record.id !== selfId))
        throw new ScimError(409, 'uniqueness', `${extension.id}:${def.name} ${JSON.stringify(value)} is already taken by another ${kind}`);
    }
  }
}
