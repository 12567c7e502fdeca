import type { RemoteGroup, RemotePage, RemoteUser } from '@provisio/core';
import type { MemoryAccount, MemoryDirectory } from './memory-directory.js';
import type { MemorySession } from './memory-session.js';

/**
 * The read side of the memory target. Listings walk the directory's live Map in pages, so an
 * account deleted between two pages is simply not reached and none is skipped.
 */
export class MemoryReader {
  constructor(
    private readonly directory: MemoryDirectory,
    private readonly session: MemorySession,
    private readonly pageSize: number,
  ) {}

  listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    return this.pages(this.directory.users, remoteUserOf);
  }

  getUser(remoteId: string): Promise<RemoteUser | null> {
    return this.one(this.directory.users, remoteId, remoteUserOf);
  }

  listGroups(): AsyncIterable<RemotePage<RemoteGroup>> {
    return this.pages(this.directory.groups, remoteGroupOf);
  }

  getGroup(remoteId: string): Promise<RemoteGroup | null> {
    return this.one(this.directory.groups, remoteId, remoteGroupOf);
  }

  private async one<T>(accounts: Map<string, MemoryAccount>, remoteId: string, view: (account: MemoryAccount) => T): Promise<T | null> {
    await this.session.enter();
    const account = accounts.get(remoteId);
    return account ? view(account) : null;
  }

  private async *pages<T>(accounts: Map<string, MemoryAccount>, view: (account: MemoryAccount) => T): AsyncGenerator<RemotePage<T>> {
    const cursor = accounts.values();
    // Bounded by the Map's size at the start plus what is added meanwhile; `done` ends it.
    for (;;) {
      await this.session.enter();
      const items: T[] = [];
      let next = cursor.next();
      while (!next.done) {
        items.push(view(next.value));
        if (items.length === this.pageSize) break;
        next = cursor.next();
      }
      if (items.length > 0) yield { items, totalHint: accounts.size };
      if (next.done) return;
    }
  }
}

function remoteUserOf(account: MemoryAccount): RemoteUser {
  return {
    remoteId: account.remoteId,
    ...(account.accountName ? { remoteName: account.accountName } : {}),
    active: account.active,
    attributes: { ...account.attributes },
  };
}

function remoteGroupOf(group: MemoryAccount): RemoteGroup {
  return {
    remoteId: group.remoteId,
    ...(group.accountName ? { remoteName: group.accountName } : {}),
    attributes: { ...group.attributes },
    memberRemoteIds: [...(group.members ?? [])],
  };
}
