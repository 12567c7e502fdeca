// Views of the emulator's state for tests and GET /__emulator/state, plus seeding. Never shows a password
// or an access token.
import { randomBytes } from 'node:crypto';
import type { GoogleFaults, GoogleFaultSnapshot } from './google-faults.js';
import type { JsonObject } from './google-http-types.js';
import type { ResolvedGoogleOptions } from './google-options.js';
import { toGroupResource, toMemberResource, toUserResource } from './google-resources.js';
import { newEtag, newUserId } from './google-ids.js';
import { storePassword, type ApiCallRecord, type GoogleDirectoryState, type PasswordChangeEvent } from './google-state.js';
import type { GoogleTokenStore } from './google-token-store.js';
import { seedGoogleGroup, seedGoogleMember, seedGoogleUser } from './google-seed.js';

export interface GoogleStateSnapshot {
  customerId: string;
  domains: string[];
  users: JsonObject[];
  groups: Array<JsonObject & { members: JsonObject[] }>;
  passwordChanges: PasswordChangeEvent[];
  tokenRequests: number;
  tokensIssued: number;
  activeTokens: ReturnType<GoogleTokenStore['describe']>;
  apiCalls: number;
  batchRequests: number;
  faults: GoogleFaultSnapshot;
}

export class GoogleEmulatorState {
  constructor(
    private readonly directory: GoogleDirectoryState,
    private readonly tokens: GoogleTokenStore,
    private readonly faults: GoogleFaults,
    private readonly options: ResolvedGoogleOptions,
    private readonly reseed: () => void,
  ) {}

  get customerId(): string {
    return this.options.customerId;
  }

  get tokenRequestCount(): number {
    return this.directory.tokenRequests;
  }

  get tokensIssued(): number {
    return this.directory.tokensIssued;
  }

  /** Directory API calls answered, including each inner call of a batch and calls that failed. */
  get callCount(): number {
    return this.directory.apiCalls;
  }

  get batchCount(): number {
    return this.directory.batchRequests;
  }

  calls(): ApiCallRecord[] {
    return [...this.directory.calls];
  }

  users(): JsonObject[] {
    return [...this.directory.users.values()].map((u) => toUserResource(u, this.options.customerId));
  }

  /** Adds users straight into the directory (no API call, no quota), as a large existing domain; answers their ids. */
  addUsers(users: ReadonlyArray<{ primaryEmail: string; givenName?: string; familyName?: string }>): string[] {
    return users.map(({ primaryEmail, givenName, familyName }) => {
      const id = newUserId();
      const email = primaryEmail.toLowerCase();
      this.directory.users.set(id, {
        id,
        primaryEmail: email,
        fields: { name: { givenName: givenName ?? 'Seed', familyName: familyName ?? email.slice(0, email.indexOf('@')) } },
        aliases: [],
        isAdmin: false,
        creationTime: new Date(this.options.now()).toISOString(),
        etag: newEtag(email),
        password: storePassword(randomBytes(24).toString('base64url')),
      });
      return id;
    });
  }

  /** Deletes a user as users.delete would (memberships go too); false when there is none. */
  removeUser(userKey: string): boolean {
    const user = this.directory.findUser(userKey);
    if (!user) return false;
    this.directory.users.delete(user.id);
    this.directory.removeFromAllGroups(user.id);
    return true;
  }

  /**
   * Changes writable fields of a user (e.g. `{ name: { givenName, familyName } }`, `{ suspended: true }`)
   * as an admin in the Admin console would: for tests of drift. False when there is no such user.
   */
  updateUserFields(userKey: string, fields: JsonObject): boolean {
    const user = this.directory.findUser(userKey);
    if (!user) return false;
    user.fields = { ...user.fields, ...fields };
    return true;
  }

  user(userKey: string): JsonObject | undefined {
    const user = this.directory.findUser(userKey);
    return user ? toUserResource(user, this.options.customerId) : undefined;
  }

  groups(): JsonObject[] {
    return [...this.directory.groups.values()].map((g) => toGroupResource(g, this.directory.membersOf(g.id).size));
  }

  members(groupKey: string): JsonObject[] {
    const group = this.directory.findGroup(groupKey);
    return group ? [...this.directory.membersOf(group.id).values()].map(toMemberResource) : [];
  }

  /** Password writes (insert, update, patch) with timestamps; all users, or one user's. */
  passwordChanges(userKey?: string): PasswordChangeEvent[] {
    return userKey === undefined ? [...this.directory.passwordChanges] : this.directory.passwordChangesOf(userKey);
  }

  verifyPassword(userKey: string, candidate: string): boolean {
    return this.directory.verifyPassword(userKey, candidate);
  }

  /** Creates a user as users.insert would (Directory API resource, password required); returns the resource. */
  seedUser(body: JsonObject): JsonObject {
    return seedGoogleUser(this.context(), body);
  }

  /** Creates a group as groups.insert would ({email, name?, description?}). */
  seedGroup(body: JsonObject): JsonObject {
    return seedGoogleGroup(this.context(), body);
  }

  /** Adds a member as members.insert would ({email, role?}). */
  seedMember(groupKey: string, body: JsonObject): JsonObject {
    return seedGoogleMember(this.context(), groupKey, body);
  }

  private context() {
    return { state: this.directory, options: this.options };
  }

  /** Empties the directory (admins are recreated), counters and tokens; faults stay as they are. */
  reset(): void {
    this.directory.clear();
    this.tokens.revokeAll();
    this.reseed();
  }

  snapshot(): GoogleStateSnapshot {
    return {
      customerId: this.options.customerId,
      domains: [...this.options.domains],
      users: this.users(),
      groups: [...this.directory.groups.values()].map((g) => ({
        ...toGroupResource(g, this.directory.membersOf(g.id).size),
        members: [...this.directory.membersOf(g.id).values()].map(toMemberResource),
      })),
      passwordChanges: this.passwordChanges(),
      tokenRequests: this.directory.tokenRequests,
      tokensIssued: this.directory.tokensIssued,
      activeTokens: this.tokens.describe(),
      apiCalls: this.directory.apiCalls,
      batchRequests: this.directory.batchRequests,
      faults: this.faults.snapshot(),
    };
  }
}
