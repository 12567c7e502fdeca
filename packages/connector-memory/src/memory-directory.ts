import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { MappedAttributes } from '@provisio/core';

/** What the memory target received, in order. */
export interface ReceivedOperation {
  at: string;
  instanceId: string;
  op: 'createUser' | 'updateUser' | 'deleteUser' | 'createGroup' | 'updateGroup' | 'deleteGroup' | 'addMembers' | 'removeMembers';
  localId: string;
  remoteId: string;
  accountName?: string;
  attributes?: MappedAttributes;
  memberRemoteIds?: string[];
  passwordSet?: boolean;
}

export interface MemoryAccount {
  remoteId: string;
  localId: string;
  accountName?: string;
  attributes: MappedAttributes;
  active: boolean;
  members?: Set<string>;
}

/** The account a journaled create made. */
function accountOf(entry: ReceivedOperation): MemoryAccount {
  return {
    remoteId: entry.remoteId,
    localId: entry.localId,
    accountName: entry.accountName,
    attributes: { ...entry.attributes },
    active: true,
  };
}

/** The fake remote directory behind one memory connector instance. */
export class MemoryDirectory {
  readonly users = new Map<string, MemoryAccount>();
  readonly groups = new Map<string, MemoryAccount>();
  readonly received: ReceivedOperation[] = [];

  constructor(
    private readonly instanceId: string,
    private readonly journal: string | undefined,
  ) {
    if (journal && existsSync(journal)) this.replay(journal);
  }

  /**
   * Rebuilds the directory from its journal, so that the "remote" survives a
   * restart of Provisio like a real target would (findUser must still find
   * what an earlier process created).
   */
  private replay(journal: string): void {
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let entry: ReceivedOperation;
      try {
        entry = JSON.parse(line) as ReceivedOperation;
      } catch {
        continue; // a line cut short by a crash mid-write
      }
      if (entry.instanceId !== this.instanceId) continue;
      this.received.push(entry);
      this.apply(entry);
    }
  }

  private apply(entry: ReceivedOperation): void {
    const { remoteId } = entry;
    switch (entry.op) {
      case 'createUser':
        this.users.set(remoteId, accountOf(entry));
        break;
      case 'createGroup':
        this.groups.set(remoteId, { ...accountOf(entry), members: new Set() });
        break;
      case 'updateUser':
      case 'updateGroup': {
        const account = (entry.op === 'updateUser' ? this.users : this.groups).get(remoteId);
        if (account) Object.assign(account.attributes, entry.attributes);
        break;
      }
      case 'deleteUser':
        this.users.delete(remoteId);
        break;
      case 'deleteGroup':
        this.groups.delete(remoteId);
        break;
      case 'addMembers':
        for (const member of entry.memberRemoteIds ?? []) this.groups.get(remoteId)?.members?.add(member);
        break;
      case 'removeMembers':
        for (const member of entry.memberRemoteIds ?? []) this.groups.get(remoteId)?.members?.delete(member);
        break;
    }
  }

  newRemoteId(): string {
    return randomUUID();
  }

  /** Deletes a user or group and journals the deletion. */
  deleteAccount(kind: 'user' | 'group', localId: string, remoteId: string): void {
    (kind === 'user' ? this.users : this.groups).delete(remoteId);
    this.record({ op: kind === 'user' ? 'deleteUser' : 'deleteGroup', localId, remoteId });
  }

  record(entry: Omit<ReceivedOperation, 'at' | 'instanceId'>): void {
    const full: ReceivedOperation = { at: new Date().toISOString(), instanceId: this.instanceId, ...entry };
    this.received.push(full);
    // Synchronous append: the line is on disk before the job is reported done,
    // which is what a crash test needs to count deliveries.
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(full)}\n`);
  }
}
