import type { MappingRuleSpec } from './compile-mapping.js';

/** The manifest's mapping when it has one, else the connector type's default mapping. */
export function effectiveMapping<T extends MappingRuleSpec>(
  configured: Readonly<Record<string, T>>,
  fallback: Readonly<Record<string, T>> | undefined,
): Record<string, T> {
  return Object.keys(configured).length > 0 ? { ...configured } : { ...(fallback ?? {}) };
}

/** Each rule's `lookup`, by remote field: what the connector resolves names with (`ProfileId` → `Profile.Name`). */
export function mappingLookups(rules: Readonly<Record<string, MappingRuleSpec>>): Record<string, string> {
  const lookups: Record<string, string> = {};
  for (const [field, rule] of Object.entries(rules))
    if (typeof rule === 'object' && rule !== null && typeof rule.lookup === 'string') lookups[field] = rule.lookup.trim();
  return lookups;
}
