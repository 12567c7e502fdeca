import type { MappedAttributes } from '../connector/outbound-connector.js';
import type { RemoteUser } from '../connector/read-side.js';

/** A remote account waiting to be linked to the one local identity it matched, and the rule that matched it. */
export interface PendingLink {
  remote: RemoteUser;
  rule: string;
}

type Packed = [remoteId: string, remoteName: string | null, active: boolean, attributes: MappedAttributes, rule: string];

/**
 * The links an import writes once the whole target is read, kept as one flat string per
 * identity. At 100,000 accounts an object graph per account (and the page's strings it holds
 * on to) is most of the import's live heap; one JSON string each is about a third of it, and
 * nothing of a page outlives the page.
 */
export class PendingLinks {
  private readonly byLocal = new Map<string, string>();

  get size(): number {
    return this.byLocal.size;
  }

  /** Keeps only `fields` of the account's attributes: what the link's snapshot holds. */
  set(localId: string, remote: RemoteUser, rule: string, fields: readonly string[]): void {
    const attributes: MappedAttributes = {};
    for (const field of fields) if (field in remote.attributes) attributes[field] = remote.attributes[field];
    const packed: Packed = [remote.remoteId, remote.remoteName ?? null, remote.active, attributes, rule];
    this.byLocal.set(localId, JSON.stringify(packed));
  }

  remoteIdOf(localId: string): string | undefined {
    const packed = this.byLocal.get(localId);
    return packed === undefined ? undefined : unpack(packed).remote.remoteId;
  }

  delete(localId: string): void {
    this.byLocal.delete(localId);
  }

  /** In batches of `size`, unpacked only as each batch is taken. */
  *batches(size: number): Generator<[string, PendingLink][]> {
    let batch: [string, PendingLink][] = [];
    for (const [localId, packed] of this.byLocal) {
      batch.push([localId, unpack(packed)]);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

function unpack(packed: string): PendingLink {
  const [remoteId, remoteName, active, attributes, rule] = JSON.parse(packed) as Packed;
  return { remote: { remoteId, ...(remoteName === null ? {} : { remoteName }), active, attributes }, rule };
}
