import { PermanentError, type MappedAttributes } from '@provisio/core';
import type { SalesforceSession } from './salesforce-session.js';
import { queryPath, soqlList } from './soql.js';

/** `Profile.Name`, `PermissionSet.Name`, `UserRole.DeveloperName`: an sObject and one of its fields. */
const LOOKUP = /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)$/;
/** Names per SOQL IN list, so the query URL stays well under Salesforce's limits. */
const IN_LIST_LIMIT = 200;

/** For `checkLookup`: the shape Salesforce can query (whether the sObject and field exist, only the org knows). */
export function checkSalesforceLookup(lookup: string): string | undefined {
  return LOOKUP.test(lookup) ? undefined : 'write it as <sObject>.<field>, e.g. Profile.Name or PermissionSet.Name';
}

/** What a lookup field's names are looked up by: an sObject and one of its fields. */
export interface LookupTarget {
  sObject: string;
  field: string;
}

/** A name's record: its Id, or how many records share the name (several: the name decides nothing). */
type Resolution = { id: string } | { count: number };

/**
 * The mapping's `lookup` fields of one connector instance (`ProfileId` ← `Profile.Name`): before a
 * write, each such value, a name, becomes the Id of the record with that name, so manifests carry
 * names and not org-specific ids. Ids are cached for the instance's life: each distinct name is
 * queried once (names not cached yet go together, one SOQL query per lookup and 200 names). SOQL
 * compares text ignoring case, and so does the cache. An unknown name is a permanent failure, and
 * is not cached: once the record exists, a retry finds it.
 */
export class SalesforceLookups {
  private readonly targets = new Map<string, LookupTarget>();
  private readonly cache = new Map<string, Map<string, Resolution>>();

  constructor(
    private readonly session: SalesforceSession,
    lookups: Readonly<Record<string, string>> = {},
  ) {
    for (const [field, lookup] of Object.entries(lookups)) {
      const match = LOOKUP.exec(lookup);
      if (!match) throw new Error(`mapping.${field}: lookup ${JSON.stringify(lookup)}: ${checkSalesforceLookup(lookup)}`);
      this.targets.set(field, { sObject: match[1], field: match[2] });
    }
  }

  /** Remote field → what its name is looked up by, for the reader (which reads names back). */
  get fields(): ReadonlyMap<string, LookupTarget> {
    return this.targets;
  }

  /** `attributes` with each lookup field's name replaced by its record's Id (null, a cleared field, stays). */
  async resolve(attributes: MappedAttributes, signal?: AbortSignal): Promise<MappedAttributes> {
    await this.prefetch([attributes], signal);
    return this.resolveCached(attributes);
  }

  /** Queries the names of all these records that are not cached yet: one query per lookup (and 200 names). */
  async prefetch(records: readonly MappedAttributes[], signal?: AbortSignal): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const [field, target] of this.targets) {
      const key = keyOf(target);
      const cached = this.cache.get(key);
      for (const record of records) {
        const name = record[field];
        if (typeof name !== 'string' && typeof name !== 'number') continue;
        const text = String(name);
        if (text === '' || cached?.has(text.toLowerCase())) continue;
        wanted.set(key, (wanted.get(key) ?? new Set()).add(text));
      }
    }
    for (const [key, names] of wanted) await this.query(key, [...names], signal);
  }

  /** As resolve, from the cache only (after prefetch): a name it does not hold is unknown to the org. */
  resolveCached(attributes: MappedAttributes): MappedAttributes {
    if (this.targets.size === 0) return attributes;
    const resolved: MappedAttributes = { ...attributes };
    for (const [field, target] of this.targets) {
      if (!(field in attributes)) continue;
      const name = attributes[field];
      if (name === null || name === undefined || name === '') continue;
      if (typeof name !== 'string' && typeof name !== 'number')
        throw new PermanentError(
          `mapping.${field}: lookup ${keyOf(target)} resolves one name, but the mapping gives ${JSON.stringify(name).slice(0, 80)}`,
        );
      const found = this.cache.get(keyOf(target))?.get(String(name).toLowerCase());
      if (found === undefined || !('id' in found))
        throw new PermanentError(
          found === undefined
            ? `Salesforce has no ${target.sObject} whose ${target.field} is ${JSON.stringify(String(name))} (mapping.${field}, lookup ${keyOf(target)}): create it in the org or correct the value`
            : `${found.count} ${target.sObject} records have the ${target.field} ${JSON.stringify(String(name))} (mapping.${field}, lookup ${keyOf(target)}): look up by a field that names one record`,
          { remoteCode: 'LOOKUP_NOT_FOUND' },
        );
      resolved[field] = found.id;
    }
    return resolved;
  }

  private async query(key: string, names: string[], signal: AbortSignal | undefined): Promise<void> {
    const [sObject, field] = key.split('.');
    const cached = this.cache.get(key) ?? new Map<string, Resolution>();
    this.cache.set(key, cached);
    for (let i = 0; i < names.length; i += IN_LIST_LIMIT) {
      const soql = `SELECT Id, ${field} FROM ${sObject} WHERE ${field} IN ${soqlList(names.slice(i, i + IN_LIST_LIMIT))}`;
      const result = await this.session.request<{ records: Array<Record<string, unknown>> }>(
        { method: 'GET', path: queryPath(soql) },
        { action: `look up ${sObject} by ${field}`, signal },
      );
      const found = new Map<string, Resolution>();
      for (const record of result.records) {
        const name = String(record[field]).toLowerCase();
        const earlier = found.get(name);
        found.set(name, earlier === undefined ? { id: String(record['Id']) } : { count: 'count' in earlier ? earlier.count + 1 : 2 });
      }
      for (const [name, resolution] of found) cached.set(name, resolution);
    }
  }
}

function keyOf(target: LookupTarget): string {
  return `${target.sObject}.${target.field}`;
}
