// Connectors each broken in one way a real connector has been broken: the kit must catch every one.
import {
  PermanentError,
  TransientError,
  type DeletionResult,
  type HealthReport,
  type MembershipChange,
  type RemotePage,
  type RemoteRef,
  type RemoteUser,
  type UserDeletion,
  type UserPayload,
  type UserUpdate,
} from '@provisio/core';
import { ToyConnector } from './toy-connector.js';
import type { ToyAccount } from './toy-target.js';

/** Never checks for an existing account: a retried create makes a twin. */
export class TwinMakingConnector extends ToyConnector {
  override createUser(payload: UserPayload): Promise<RemoteRef> {
    return this.call(() => {
      const account: ToyAccount = {
        id: this.target.newId(),
        userName: this.userName(payload),
        externalId: payload.localId,
        active: true,
        attributes: { ...payload.attributes },
      };
      this.target.users.set(account.id, account);
      return { remoteId: account.id };
    });
  }
}

/** Reports success when the target refuses the write (WSO2's SCIM connector on 403). */
export class SilentFailureConnector extends ToyConnector {
  override async createUser(payload: UserPayload): Promise<RemoteRef> {
    try {
      return await super.createUser(payload);
    } catch {
      return { remoteId: 'unknown' };
    }
  }
}

/** Puts its API key into error messages. */
export class LeakyConnector extends ToyConnector {
  override async createUser(payload: UserPayload): Promise<RemoteRef> {
    try {
      return await super.createUser(payload);
    } catch (error) {
      throw new TransientError(`request with X-API-Key ${this.apiKey} failed: ${(error as Error).message}`, {
        retryAfterMs: (error as TransientError).retryAfterMs,
      });
    }
  }
}

/** Throws plain errors: a 503 loses its Retry-After and its classification. */
export class UnclassifiedConnector extends ToyConnector {
  override async createUser(payload: UserPayload): Promise<RemoteRef> {
    try {
      return await super.createUser(payload);
    } catch (error) {
      throw new Error(`failed: ${(error as Error).message}`);
    }
  }
}

/** Calls a refusal transient, so the pipeline would retry it forever. */
export class EverythingTransientConnector extends ToyConnector {
  override async createUser(payload: UserPayload): Promise<RemoteRef> {
    try {
      return await super.createUser(payload);
    } catch (error) {
      throw new TransientError((error as Error).message);
    }
  }
}

/** Lets check() throw instead of reporting ok: false. */
export class ThrowingCheckConnector extends ToyConnector {
  override async check(): Promise<HealthReport> {
    return this.call(() => ({ ok: true, message: 'fine' }));
  }
}

/** A second deprovisioning of a gone account fails. */
export class StrictDeleteConnector extends ToyConnector {
  override deleteUser(deletion: UserDeletion): Promise<DeletionResult> {
    if (!this.target.users.has(deletion.remoteId)) return Promise.reject(new PermanentError('no such user', { remoteCode: 404 }));
    return super.deleteUser(deletion);
  }
}

/** Deletes even when configured to deactivate. */
export class AlwaysDeletingConnector extends ToyConnector {
  override async deleteUser(deletion: UserDeletion): Promise<DeletionResult> {
    this.target.users.delete(deletion.remoteId);
    return { mode: 'deactivated' };
  }
}

/** Accepts updates and drops them. */
export class UpdateDroppingConnector extends ToyConnector {
  override async updateUser(update: UserUpdate): Promise<RemoteRef> {
    return { remoteId: update.remoteId };
  }
}

/** Treats an existing member as an error. */
export class DuplicateMemberConnector extends ToyConnector {
  override async addMembers(change: MembershipChange): Promise<void> {
    const group = this.existingGroup(change.groupRemoteId);
    if (change.memberRemoteIds.some((id) => group.members.has(id))) throw new PermanentError('member already present');
    return super.addMembers(change);
  }
}

/** Pages by offset: an account deleted from a page already read shifts the rest, and one is skipped. */
export class OffsetPagingConnector extends ToyConnector {
  override async *listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    for (let offset = 0; offset < 100_000; offset += this.pageSize) {
      const items = await this.call(() =>
        [...this.target.users.values()].sort((a, b) => a.id.localeCompare(b.id)).slice(offset, offset + this.pageSize),
      );
      if (items.length > 0) yield { items: items.map((u) => this.remoteUser(u)) };
      if (items.length < this.pageSize) return;
    }
  }
}

/** An off-by-one in its end test: when the total is an exact multiple of the page size, the last page is dropped. */
export class BoundaryDroppingConnector extends ToyConnector {
  override async *listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    const all = await this.call(() => [...this.target.users.values()].sort((a, b) => a.id.localeCompare(b.id)));
    const full = all.length % this.pageSize === 0;
    const pages = full ? all.length / this.pageSize - 1 : Math.ceil(all.length / this.pageSize);
    for (let page = 0; page < pages; page++)
      yield { items: all.slice(page * this.pageSize, (page + 1) * this.pageSize).map((u) => this.remoteUser(u)) };
  }
}

/** Repeats the last account of every page at the top of the next one. */
export class OverlappingPagesConnector extends ToyConnector {
  override async *listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    const all = await this.call(() => [...this.target.users.values()].sort((a, b) => a.id.localeCompare(b.id)));
    for (let start = 0; start < all.length; start += this.pageSize - 1)
      yield { items: all.slice(start, start + this.pageSize).map((u) => this.remoteUser(u)) };
  }
}

/** Answers a gone account as an empty inactive one instead of null. */
export class GhostReadingConnector extends ToyConnector {
  override async getUser(remoteId: string): Promise<RemoteUser | null> {
    return (await super.getUser(remoteId)) ?? { remoteId, active: false, attributes: {} };
  }
}
