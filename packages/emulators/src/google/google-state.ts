// In-memory directory of one customer: users, groups, members, and what tests need to inspect
// (password changes, call and token counters). Passwords are kept only as salted digests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JsonObject } from './google-http-types.js';

export interface StoredPassword {
  salt: string;
  digest: string;
  hashFunction?: string;
}

export interface UserRecord {
  id: string;
  primaryEmail: string;
  /** Writable fields as last written (name, suspended, externalIds, ...), without password or primaryEmail. */
  fields: JsonObject;
  aliases: string[];
  isAdmin: boolean;
  creationTime: string;
  etag: string;
  password: StoredPassword;
}

export interface GroupRecord {
  id: string;
  email: string;
  name: string;
  description: string;
  aliases: string[];
  etag: string;
}

export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';
type MemberType = 'USER' | 'GROUP' | 'EXTERNAL';

export interface MemberRecord {
  groupId: string;
  /** Id of the user or group, or a generated id for an address outside the customer. */
  memberId: string;
  email: string;
  role: MemberRole;
  type: MemberType;
  deliverySettings: string;
  etag: string;
}

export interface PasswordChangeEvent {
  userId: string;
  primaryEmail: string;
  at: string;
  via: 'insert' | 'update' | 'patch';
  hashFunction?: string;
}

export interface ApiCallRecord {
  at: string;
  method: string;
  path: string;
  status: number;
  subject?: string;
  batched: boolean;
  /** Who says it sent the call: its X-Provisio-Job and X-Provisio-Worker headers (a batch's, for its parts). */
  origin?: string;
}

const CALL_LOG_LIMIT = 10_000;

/** A user or group by id, else by its address or one of its aliases (any case): Google's userKey / groupKey. */
function findByKey<T extends { aliases: string[] }>(records: Map<string, T>, key: string, addressOf: (record: T) => string): T | undefined {
  const byId = records.get(key);
  if (byId) return byId;
  const email = key.toLowerCase();
  for (const record of records.values()) {
    if (addressOf(record) === email || record.aliases.includes(email)) return record;
  }
  return undefined;
}

export class GoogleDirectoryState {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  /** Keyed by group id, then member id. */
  readonly members = new Map<string, Map<string, MemberRecord>>();
  readonly passwordChanges: PasswordChangeEvent[] = [];
  readonly calls: ApiCallRecord[] = [];
  tokenRequests = 0;
  tokensIssued = 0;
  apiCalls = 0;
  batchRequests = 0;

  findUser(key: string): UserRecord | undefined {
    return findByKey(this.users, key, (user) => user.primaryEmail);
  }

  findGroup(key: string): GroupRecord | undefined {
    return findByKey(this.groups, key, (group) => group.email);
  }

  /** Google keeps one namespace for user addresses, group addresses and their aliases. */
  isAddressTaken(email: string): boolean {
    return this.findUser(email) !== undefined || this.findGroup(email) !== undefined;
  }

  /** A deleted user or group is no member of any group any more. */
  removeFromAllGroups(memberId: string): void {
    for (const members of this.members.values()) members.delete(memberId);
  }

  membersOf(groupId: string): Map<string, MemberRecord> {
    let members = this.members.get(groupId);
    if (!members) {
      members = new Map();
      this.members.set(groupId, members);
    }
    return members;
  }

  recordPasswordChange(user: UserRecord, via: PasswordChangeEvent['via'], at: string): void {
    this.passwordChanges.push({
      userId: user.id,
      primaryEmail: user.primaryEmail,
      at,
      via,
      ...(user.password.hashFunction ? { hashFunction: user.password.hashFunction } : {}),
    });
  }

  recordCall(call: ApiCallRecord): void {
    this.apiCalls++;
    this.calls.push(call);
    if (this.calls.length > CALL_LOG_LIMIT) this.calls.splice(0, this.calls.length - CALL_LOG_LIMIT);
  }

  passwordChangesOf(userKey: string): PasswordChangeEvent[] {
    const user = this.findUser(userKey);
    return user ? this.passwordChanges.filter((e) => e.userId === user.id) : [];
  }

  /** Lets a test prove which password a user has without the emulator ever exposing it. */
  verifyPassword(userKey: string, candidate: string): boolean {
    const user = this.findUser(userKey);
    if (!user) return false;
    const digest = Buffer.from(digestPassword(user.password.salt, candidate), 'hex');
    const stored = Buffer.from(user.password.digest, 'hex');
    return digest.length === stored.length && timingSafeEqual(digest, stored);
  }

  clear(): void {
    this.users.clear();
    this.groups.clear();
    this.members.clear();
    this.passwordChanges.length = 0;
    this.calls.length = 0;
    this.tokenRequests = 0;
    this.tokensIssued = 0;
    this.apiCalls = 0;
    this.batchRequests = 0;
  }
}

export function storePassword(password: string, hashFunction?: string): StoredPassword {
  const salt = randomBytes(16).toString('hex');
  return { salt, digest: digestPassword(salt, password), ...(hashFunction ? { hashFunction } : {}) };
}

function digestPassword(salt: string, password: string): string {
  return createHash('sha256').update(salt).update(password).digest('hex');
}
