// The acknowledged history: every SCIM write the server answered 2xx, in the order it answered.
// What the targets must hold after the drain is the last acknowledged write of each user.

export type WriteOp = 'create' | 'patch' | 'delete';

export interface AcknowledgedWrite {
  op: WriteOp;
  /** The title this write left the user with (creates and patches). */
  title?: string;
  ackedAt: number;
  /** Sent more than once because a process died before it answered. */
  resent: boolean;
}

export interface AcknowledgedUser {
  userName: string;
  /** Provisio's id (the jobs' localId). */
  id: string;
  writes: AcknowledgedWrite[];
}

/** What the target must show for a user: nothing (or inactive) when deleted, else the last title. */
export interface ExpectedState {
  deleted: boolean;
  title: string | undefined;
}

export class AcknowledgedHistory {
  private readonly users = new Map<string, AcknowledgedUser>();

  acknowledge(userName: string, id: string, write: AcknowledgedWrite): void {
    const key = userName.toLowerCase();
    const user = this.users.get(key) ?? { userName, id, writes: [] };
    user.writes.push(write);
    this.users.set(key, user);
  }

  all(): AcknowledgedUser[] {
    return [...this.users.values()];
  }

  byId(id: string): AcknowledgedUser | undefined {
    return this.all().find((u) => u.id === id);
  }

  count(op: WriteOp): number {
    return this.all().reduce((sum, u) => sum + u.writes.filter((w) => w.op === op).length, 0);
  }

  resentCount(): number {
    return this.all().reduce((sum, u) => sum + u.writes.filter((w) => w.resent).length, 0);
  }

  static expected(user: AcknowledgedUser): ExpectedState {
    const last = user.writes[user.writes.length - 1];
    const titled = [...user.writes].reverse().find((w) => w.title !== undefined);
    return { deleted: last?.op === 'delete', title: titled?.title };
  }
}
