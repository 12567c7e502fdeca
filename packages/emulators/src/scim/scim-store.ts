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

export class ScimStore {
  private readonly byKind: Record<ResourceKind, Map<string, StoredResource>> = { User: new Map(), Group: new Map() };
  private versionCounter = 0;

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
    return res;
  }

  update(res: StoredResource, attrs: JsonObject): StoredResource {
    res.attrs = cloneJson(attrs);
    res.lastModified = new Date().toISOString();
    res.version = this.nextVersion();
    return res;
  }

  delete(kind: ResourceKind, id: string): boolean {
    return this.byKind[kind].delete(id);
  }

  clear(): void {
    this.byKind.User.clear();
    this.byKind.Group.clear();
  }

  private nextVersion(): string {
    this.versionCounter += 1;
    return `W/"${this.versionCounter.toString(16).padStart(8, '0')}"`;
  }
}

/** RFC 7644 §3.14: If-Match with "*" or any listed ETag (weak comparison, as SCIM's own examples use). */
export function etagMatches(version: string, header: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(version));
}
