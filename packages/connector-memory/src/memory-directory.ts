import { appendFileSync } from 'node:fs';
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

/** The fake remote directory behind one memory connector instance. */
export class MemoryDirectory {
  readonly users = new Map<string, MemoryAccount>();
  readonly groups = new Map<string, MemoryAccount>();
  readonly received: ReceivedOperation[] = [];

  constructor(
    private readonly instanceId: string,
    private readonly journal: string | undefined,
  ) {}

  newRemoteId(): string {
    return randomUUID();
  }

  record(entry: Omit<ReceivedOperation, 'at' | 'instanceId'>): void {
    const full: ReceivedOperation = { at: new Date().toISOString(), instanceId: this.instanceId, ...entry };
    this.received.push(full);
    // Synchronous append: the line is on disk before the job is reported done,
    // which is what a crash test needs to count deliveries.
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(full)}\n`);
  }
}
