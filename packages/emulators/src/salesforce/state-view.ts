// What tests (and humans, via GET /__emulator/state) may inspect. Copies only;
// no secrets: passwords are checked with passwordMatches, never returned.
import type { SeedUser } from './options.js';
import type { OrgState, PasswordSetEvent, RestCallRecord } from './org-state.js';
import type { QueryCursors } from './query-cursors.js';
import { seedUser } from './seed.js';
import type { SObjectRecord } from './records.js';
import type { SessionStore } from './session-store.js';

export class SalesforceStateView {
  constructor(
    private readonly org: OrgState,
    private readonly sessions: SessionStore,
    private readonly cursors?: QueryCursors,
  ) {}

  /** Open query locators expire now, as after 15 idle minutes: the next queryMore is INVALID_QUERY_LOCATOR. */
  expireQueryLocators(): void {
    this.cursors?.expireAll();
  }

  get orgId(): string {
    return this.org.orgId;
  }

  /** Records of any known type (User, Profile, PermissionSet, PermissionSetAssignment, Group, GroupMember). */
  records(type: string): SObjectRecord[] {
    return this.org.all(type).map((r) => ({ ...r }));
  }

  users(): SObjectRecord[] {
    return this.records('User');
  }

  /** Adds users after start, as the `users` option does at start (tests seeding a large org); answers their Ids. */
  addUsers(seeds: readonly SeedUser[]): string[] {
    return seeds.map((seed) => seedUser(this.org, seed, 'Standard User'));
  }

  /** Removes a record for good (Salesforce never deletes users; a test may, to see a reader cope). */
  removeRecord(type: string, id: string): boolean {
    return this.org.remove(type, id);
  }

  /**
   * Changes fields of a record as an admin in the org would (Setup, or a data loader), without
   * the API's validation: for tests of drift. False when there is no such record.
   */
  updateRecord(type: string, id: string, fields: SObjectRecord): boolean {
    const current = this.org.get(type, id);
    if (!current) return false;
    this.org.put(type, { ...current, ...fields, Id: current['Id'] });
    return true;
  }

  userByUsername(username: string): SObjectRecord | undefined {
    const user = this.org.findUserByUsername(username);
    return user ? { ...user } : undefined;
  }

  profiles(): SObjectRecord[] {
    return this.records('Profile');
  }

  profileId(name: string): string | undefined {
    const profile = this.org.all('Profile').find((p) => p['Name'] === name);
    return profile ? String(profile['Id']) : undefined;
  }

  permissionSets(): SObjectRecord[] {
    return this.records('PermissionSet');
  }

  permissionSetAssignments(): SObjectRecord[] {
    return this.records('PermissionSetAssignment');
  }

  groups(): SObjectRecord[] {
    return this.records('Group');
  }

  groupMembers(): SObjectRecord[] {
    return this.records('GroupMember');
  }

  /** Requests to /services/oauth2/token (successful or not), optionally of one grant type. */
  tokenRequestCount(grantType?: string): number {
    return this.org.tokenRequests.filter((r) => grantType === undefined || r.grantType === grantType).length;
  }

  tokenRequests(): { grantType: string; ok: boolean; at: string }[] {
    return this.org.tokenRequests.map((r) => ({ ...r }));
  }

  /** Authenticated REST calls counted against DailyApiRequests. */
  apiCallCount(): number {
    return this.org.apiCalls;
  }

  /** Inserts of a User the org received (seeded ones included; injected faults excluded), by lower-cased Username. */
  userInsertAttempts(): Record<string, number> {
    return Object.fromEntries(this.org.userInsertAttempts);
  }

  /**
   * Each insert and update of the User with this Username the org received: time, operation, outcome, fields,
   * and "from" the X-Provisio-Job and X-Provisio-Worker headers of the request when it had them.
   */
  userWriteTimeline(username: string): string[] {
    return [...(this.org.userWrites.get(username.toLowerCase()) ?? [])];
  }

  /** The latest REST calls the org answered (at most 100,000), oldest first, with who sent each. */
  restCalls(): RestCallRecord[] {
    return this.org.restCalls.map((c) => ({ ...c }));
  }

  passwordSetEvents(): PasswordSetEvent[] {
    return this.org.passwordEvents.map((e) => ({ ...e }));
  }

  /** True when `candidate` is the password last set for this user (by seed or the password resource). */
  passwordMatches(userId: string, candidate: string): boolean {
    return this.org.passwordMatches(userId, candidate);
  }

  addUsernameTakenElsewhere(username: string): void {
    this.org.addUsernameTakenElsewhere(username);
  }

  activeSessionCount(): number {
    return this.sessions.activeCount();
  }

  snapshot(): Record<string, unknown> {
    return {
      orgId: this.orgId,
      apiUsage: this.org.apiUsage(),
      tokenRequests: this.tokenRequestCount(),
      activeSessions: this.activeSessionCount(),
      users: this.users(),
      profiles: this.profiles(),
      permissionSets: this.permissionSets(),
      permissionSetAssignments: this.permissionSetAssignments(),
      groups: this.groups(),
      groupMembers: this.groupMembers(),
      passwordSetEvents: this.passwordSetEvents(),
    };
  }
}
