// In-memory resources. Versions come from one counter so no two resource states ever share an ETag.
import { randomUUID } from 'node:crypto';
import type { ResourceKind } from './scim-core-schemas.js';
import { cloneJson, type JsonObject } from './scim-json.js';

export interface StoredResource {
  id: string;
  kind: ResourceKind;
  /** Canonical attributes (no id/meta/schemas); extensions live under their schema URN. */
  attrs: JsonObject;
  created: string;
  lastModified: string;
  version: string;
}

/** The attribute each resource type keeps unique (case-insensitive, as both are caseExact false); indexed so uniqueness checks stay cheap at 100,000 users. */
export const INDEXED_ATTRIBUTE: Record<ResourceKind, string> = { User: 'userName', Group: 'displayName' };

export class ScimStore {
  private readonly byKind: Record<ResourceKind, Map<string, StoredResource>> = { User: new Map(), Group: new Map() };
  /** Lower-cased INDEXED_ATTRIBUTE value → ids of the resources holding it. */
  private readonly index: Record<ResourceKind, Map<string, Set<string>>> = { User: new Map(), Group: new Map() };
  private versionCounter = 0;

  /** Resources whose INDEXED_ATTRIBUTE equals `value`, case-insensitively. */
  withIndexedValue(kind: ResourceKind, value: string): StoredResource[] {
    const wanted = value.toLowerCase();
    const ids = this.index[kind].get(wanted) ?? new Set<string>();
    return [...ids]
      .map((id) => this.byKind[kind].get(id))
      .filter((r): r is StoredResource => r !== undefined && indexKey(kind, r.attrs) === wanted);
  }

  list(kind: ResourceKind): StoredResource[] {
    return [...this.byKind[kind].values()];
  }

  get(kind: ResourceKind, id: string): StoredResource | undefined {
    return this.byKind[kind].get(id);
  }

  kindOf(id: string): ResourceKind | undefined {
    if (this.byKind.User.has(id)) return 'User';
    return this.byKind.Group.has(id) ? 'Group' : undefined;
  }

  insert(kind: ResourceKind, attrs: JsonObject, id: string = randomUUID()): StoredResource {
    const now = new Date().toISOString();
    const res: StoredResource = { id, kind, attrs: cloneJson(attrs), created: now, lastModified: now, version: this.nextVersion() };
    this.byKind[kind].set(id, res);
    this.indexAdd(res);
    return res;
  }

  update(res: StoredResource, attrs: JsonObject): StoredResource {
    this.indexRemove(res);
    res.attrs = cloneJson(attrs);
    this.indexAdd(res);
    res.lastModified = new Date().toISOString();
    res.version = this.nextVersion();
    return res;
  }

  delete(kind: ResourceKind, id: string): boolean {
    const res = this.byKind[kind].get(id);
    if (res) this.indexRemove(res);
    return this.byKind[kind].delete(id);
  }

  clear(): void {
    this.byKind.User.clear();
    this.byKind.Group.clear();
    this.index.User.clear();
    this.index.Group.clear();
  }

  private indexAdd(res: StoredResource): void {
    const key = indexKey(res.kind, res.attrs);
    if (key === undefined) return;
    const ids = this.index[res.kind].get(key) ?? new Set<string>();
    ids.add(res.id);
    this.index[res.kind].set(key, ids);
  }

  private indexRemove(res: StoredResource): void {
    const key = indexKey(res.kind, res.attrs);
    const ids = key === undefined ? undefined : this.index[res.kind].get(key);
    ids?.delete(res.id);
    if (ids?.size === 0 && key !== undefined) this.index[res.kind].delete(key);
  }

  private nextVersion(): string {
    this.versionCounter += 1;
    return `W/"${this.versionCounter.toString(16).padStart(8, '0')}"`;
  }
}

function indexKey(kind: ResourceKind, attrs: JsonObject): string | undefined {
  const value = attrs[INDEXED_ATTRIBUTE[kind]];
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

/** RFC 7644 §3.14: If-Match with "*" or any listed ETag (weak comparison, as SCIM's own examples use). */
export function etagMatches(version: string, header: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(version));
}
