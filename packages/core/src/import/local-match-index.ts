import type { LinkRecord } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { matchValue } from '../matching/match-rules.js';
import { userView } from '../pipeline/identity-views.js';
import type { ProvisioningTarget } from '../pipeline/provisioning-target.js';

/**
 * The local side of an import, built once from the store: for each match rule the in-scope
 * identities by their value (normalised as the target compares), and the links this
 * instance already has, both ways. Only ids and values are kept, never whole identities.
 */
export class LocalMatchIndex {
  /** rule index → normalised value → the local id, or the ids where several share it (most values have one: no array). */
  private readonly byRule: Map<string, string | string[]>[];
  /** remote id → local id, for links that point at an account. */
  readonly localOfRemote = new Map<string, string>();
  /** local id → remote id it is linked to. */
  readonly remoteOfLocal = new Map<string, string>();
  /** In-scope local ids. */
  readonly inScope = new Set<string>();

  private constructor(private readonly target: ProvisioningTarget) {
    this.byRule = target.matchRules.map(() => new Map());
  }

  static async build(store: Store, target: ProvisioningTarget, pageSize = 500): Promise<LocalMatchIndex> {
    const index = new LocalMatchIndex(target);
    // A scope over groups needs each user's derived groups; otherwise one read per user is enough.
    const needsGroups = /\bgroups\b/.test(target.instance.settings.scope ?? '');
    for (let after: string | undefined, ids = await store.listUserIds(undefined, pageSize); ids.length > 0;) {
      for (const link of await store.linksFor(target.id, 'user', ids)) index.addLink(link);
      for (const id of ids) {
        const record = await store.getUser(id);
        if (!record) continue;
        const user = userView(record, needsGroups ? await store.groupSummariesOfMember(id) : []);
        if (!target.userInScope(user)) continue;
        index.inScope.add(id);
        let values: (string | undefined)[];
        try {
          values = target.matchValues(user);
        } catch {
          // The mapping cannot be built for this identity (a required value missing): nothing to match it by.
          continue;
        }
        values.forEach((raw, rule) => {
          if (raw === undefined) return;
          const value = matchValue(raw, target.matchIgnoresCaseOf(target.matchRules[rule].remote));
          const map = index.byRule[rule];
          const existing = map.get(value);
          if (existing === undefined) map.set(value, id);
          else if (typeof existing === 'string') map.set(value, [existing, id]);
          else existing.push(id);
        });
      }
      after = ids[ids.length - 1];
      ids = await store.listUserIds(after, pageSize);
    }
    return index;
  }

  private addLink(link: LinkRecord): void {
    if (!link.remoteId || link.status === 'deprovisioned') return;
    this.localOfRemote.set(link.remoteId, link.localId);
    this.remoteOfLocal.set(link.localId, link.remoteId);
  }

  /** The local ids the first rule with a hit finds for a remote account's fields, and that rule. */
  candidates(fieldOf: (remote: string) => unknown): { rule: string; localIds: string[] } | undefined {
    const rules = this.target.matchRules;
    for (let i = 0; i < rules.length; i += 1) {
      const raw = fieldOf(rules[i].remote);
      if (raw === undefined || raw === null || raw === '' || typeof raw === 'object') continue;
      const hit = this.byRule[i].get(matchValue(String(raw), this.target.matchIgnoresCaseOf(rules[i].remote)));
      if (hit !== undefined) return { rule: rules[i].remote, localIds: typeof hit === 'string' ? [hit] : hit };
    }
    return undefined;
  }
}
