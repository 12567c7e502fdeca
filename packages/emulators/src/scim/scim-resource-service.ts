// Dialect-neutral writes and reads of Users and Groups, with the integrity rules a real service keeps:
// required attributes, uniqueness, immutability, ETag preconditions, member references, fault hooks.
import { RESOURCE_TYPES, type ResourceKind } from './scim-core-schemas.js';
import { badRequest, conflict, notFound, ScimError } from './scim-errors.js';
import type { ScimFaults } from './scim-faults.js';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from './scim-json.js';
import { checkRequired } from './scim-resource-validator.js';
import { etagMatches, INDEXED_ATTRIBUTE, type ScimStore, type StoredResource } from './scim-store.js';

export interface ServiceRules {
  /** Extra top-level User attributes the service treats as immutable (e.g. ["userName"]). */
  immutableUserAttributes: string[];
}

export class ScimResourceService {
  constructor(
    private readonly store: ScimStore,
    private readonly faults: ScimFaults,
    private readonly rules: ServiceRules,
  ) {}

  get(kind: ResourceKind, id: string): StoredResource {
    const res = this.store.get(kind, id);
    if (!res) throw notFound(`${kind} "${id}" not found`);
    return res;
  }

  list(kind: ResourceKind): StoredResource[] {
    return this.store.list(kind);
  }

  create(kind: ResourceKind, attrs: JsonObject): StoredResource {
    const checked = this.checkWrite(kind, attrs, undefined);
    return this.store.insert(kind, checked);
  }

  replace(kind: ResourceKind, id: string, attrs: JsonObject, ifMatch?: string): StoredResource {
    const res = this.precondition(kind, id, ifMatch);
    const next = { ...attrs };
    // A PUT never carries the writeOnly password back; keep the stored one (SCIM 1.1 §3.3.1 says so explicitly).
    if (next['password'] === undefined && res.attrs['password'] !== undefined) next['password'] = res.attrs['password'];
    return this.save(res, this.checkWrite(kind, next, res));
  }

  /** Applies `mutate` to a copy of the attributes; nothing is stored unless every rule passes. */
  modify(kind: ResourceKind, id: string, mutate: (attrs: JsonObject) => JsonObject, ifMatch?: string): StoredResource {
    const res = this.precondition(kind, id, ifMatch);
    return this.save(res, this.checkWrite(kind, mutate(cloneJson(res.attrs)), res));
  }

  remove(kind: ResourceKind, id: string, ifMatch?: string): void {
    const res = this.precondition(kind, id, ifMatch);
    if (kind === 'User') this.checkUserNameFault(res.attrs);
    this.store.delete(kind, id);
    // Memberships of a deleted resource disappear with it, as in every directory.
    for (const group of this.store.list('Group')) {
      const members = group.attrs['members'];
      if (!Array.isArray(members)) continue;
      const kept = members.filter((m) => !(isJsonObject(m) && m['value'] === id));
      if (kept.length !== members.length) {
        const attrs = { ...group.attrs };
        if (kept.length > 0) attrs['members'] = kept;
        else delete attrs['members'];
        this.store.update(group, attrs);
      }
    }
  }

  private save(res: StoredResource, attrs: JsonObject): StoredResource {
    // An update that changes nothing keeps its version, so ETags stay meaningful.
    return jsonEqual(attrs, res.attrs) ? res : this.store.update(res, attrs);
  }

  private precondition(kind: ResourceKind, id: string, ifMatch: string | undefined): StoredResource {
    const res = this.get(kind, id);
    if (ifMatch !== undefined && !etagMatches(res.version, ifMatch)) {
      throw new ScimError(412, undefined, `Failed to update: ${kind} "${id}" has changed (current version ${res.version})`);
    }
    return res;
  }

  private checkWrite(kind: ResourceKind, attrs: JsonObject, existing: StoredResource | undefined): JsonObject {
    checkRequired(RESOURCE_TYPES[kind], attrs);
    if (kind === 'User') this.checkUserNameFault(attrs);
    this.checkUnique(kind, attrs, existing?.id);
    if (existing) this.checkImmutable(kind, attrs, existing);
    if (kind === 'Group') return { ...attrs, ...this.memberAttrs(attrs, existing?.id) };
    return attrs;
  }

  private checkUserNameFault(attrs: JsonObject): void {
    const refusal = this.faults.userNameRefusal(attrs['userName']);
    if (refusal) throw new ScimError(refusal.status, refusal.scimType, refusal.detail);
  }

  private checkUnique(kind: ResourceKind, attrs: JsonObject, selfId: string | undefined): void {
    const name = INDEXED_ATTRIBUTE[kind];
    const value = attrs[name];
    if (typeof value !== 'string') return;
    const clash = this.store.withIndexedValue(kind, value).find((r) => r.id !== selfId);
    if (clash) throw conflict(`${name} "${value}" is already taken by ${kind} "${clash.id}"`);
  }

  private checkImmutable(kind: ResourceKind, attrs: JsonObject, existing: StoredResource): void {
    const names = kind === 'User' ? this.rules.immutableUserAttributes : [];
    for (const name of names) {
      const before = existing.attrs[name];
      if (before !== undefined && !jsonEqual(before, attrs[name])) {
        throw new ScimError(400, 'mutability', `Attribute "${name}" is immutable and cannot be changed`);
      }
    }
  }

  /** Members must reference existing Users or Groups; each is stored once as {value, type}. */
  private memberAttrs(attrs: JsonObject, selfId: string | undefined): JsonObject {
    const members = attrs['members'];
    if (!Array.isArray(members)) return {};
    const seen = new Map<string, JsonValue>();
    for (const m of members) {
      if (!isJsonObject(m) || typeof m['value'] !== 'string') {
        throw badRequest('invalidValue', 'Each member needs a "value" holding the id of a User or Group');
      }
      const value = m['value'];
      const kind = this.store.kindOf(value);
      if (!kind) throw badRequest('invalidValue', `Member "${value}" does not exist`);
      if (value === selfId) throw badRequest('invalidValue', 'A group cannot be a member of itself');
      const type = m['type'];
      if (type !== undefined && String(type).toLowerCase() !== kind.toLowerCase()) {
        throw badRequest('invalidValue', `Member "${value}" is a ${kind}, not a ${String(type)}`);
      }
      seen.set(value, { value, type: kind });
    }
    return { members: [...seen.values()] };
  }
}
