// A tiny in-memory "remote directory" with the faults the conformance hooks inject.
import { randomUUID } from 'node:crypto';
import type { MappedAttributes } from '@provisio/core';

export interface ToyAccount {
  id: string;
  userName: string;
  externalId: string;
  active: boolean;
  attributes: MappedAttributes;
}

export interface ToyGroup {
  id: string;
  name: string;
  members: Set<string>;
}

export type ToyReply =
  { kind: 'ok' } | { kind: 'status'; status: number; retryAfterSec?: number; detail: string } | { kind: 'unreachable' };

export class ToyTarget {
  readonly users = new Map<string, ToyAccount>();
  readonly groups = new Map<string, ToyGroup>();
  readonly refusedUserNames = new Map<string, { status: number; detail: string }>();
  private failing: { status: number; retryAfterSec?: number } | undefined;
  private dropping = false;
  unreachable = false;

  newId(): string {
    return randomUUID();
  }

  /** An account made directly in the directory, as a seed; answers its id. */
  seedUser(): string {
    const id = this.newId();
    this.users.set(id, { id, userName: `seed-${id}`, externalId: `seed-${id}`, active: true, attributes: { userName: `seed-${id}` } });
    return id;
  }

  failNext(status: number, retryAfterSec?: number): void {
    this.failing = { status, retryAfterSec };
  }

  dropNext(): void {
    this.dropping = true;
  }

  /** What the "network" does with the next request, before it reaches the directory. */
  arrive(): ToyReply {
    if (this.unreachable) return { kind: 'unreachable' };
    const failing = this.failing;
    this.failing = undefined;
    if (failing)
      return {
        kind: 'status',
        status: failing.status,
        retryAfterSec: failing.retryAfterSec,
        detail: `toy target answered ${failing.status}`,
      };
    return { kind: 'ok' };
  }

  /** Whether the reply to the request just carried out gets lost. */
  takeDrop(): boolean {
    const drop = this.dropping;
    this.dropping = false;
    return drop;
  }
}
