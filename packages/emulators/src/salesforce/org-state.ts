// The in-memory org: one table per sObject type, plus the bookkeeping the
// tests inspect (token requests, API calls, password events).
import { IdFactory, KEY_PREFIXES, toId18 } from './ids.js';
import { type SObjectRecord, salesforceDateTime } from './records.js';
import { type SecretHash, hashSecret, secretMatches } from './secrets.js';
import { SOBJECTS } from './schema.js';

export interface PasswordSetEvent {
  userId: string;
  username: string;
  at: string;
  /** 'set' = POST .../password, 'reset' = DELETE .../password (generated). */
  kind: 'set' | 'reset';
}

export interface LoginCredential {
  passwordHash: SecretHash;
  /** Appended to the password in the OAuth password grant. Never exposed. */
  securityToken: string;
}

/** One REST call the org answered, with who says they sent it (the X-Provisio-Job and X-Provisio-Worker headers). */
export interface RestCallRecord {
  at: string;
  method: string;
  /** Under /services/data/vXX.X/, without the query string. */
  path: string;
  status: number | 'dropped';
  origin?: string;
  /** The SOQL of a query, first 500 characters. */
  soql?: string;
}

const MAX_REST_CALLS = 100_000;

const INDEXED_FIELDS = ['User.Username', 'User.CommunityNickname'];

export class OrgState {
  readonly ids = new IdFactory();
  readonly orgId: string;
  private readonly tables = new Map<string, Map<string, SObjectRecord>>();
  /** "type.field" → lower-cased value → ids, for the fields uniqueness rules look up (cheap at 100,000 users). */
  private readonly indexes = new Map<string, Map<string, Set<string>>>(INDEXED_FIELDS.map((key) => [key, new Map()]));
  private readonly usernamesElsewhere = new Set<string>();
  private readonly credentials = new Map<string, LoginCredential>();
  private readonly passwordHashes = new Map<string, SecretHash>();
  readonly passwordEvents: PasswordSetEvent[] = [];
  readonly tokenRequests: { grantType: string; ok: boolean; at: string }[] = [];
  apiCalls = 0;
  /** The org's password policy: minimum length (Salesforce's default 8; an org may choose 5 to 50). */
  passwordMinLength = 8;
  /** Every insert of a User the org carried out or refused on its rules, by lower-cased Username (faults excluded). */
  readonly userInsertAttempts = new Map<string, number>();
  /** Every insert and update of a User the org carried out or refused, by lower-cased Username: when, what, how it ended. */
  readonly userWrites = new Map<string, string[]>();
  /** The latest REST calls (at most 100,000), oldest first. */
  readonly restCalls: RestCallRecord[] = [];
  /** The origin of the REST call being handled (dispatch is synchronous), for the user write journal. */
  requestOrigin: string | undefined;

  constructor(
    orgId: string | undefined,
    readonly dailyApiLimit: number,
  ) {
    this.orgId = (orgId && toId18(orgId)) || this.ids.next(KEY_PREFIXES.Organization);
    for (const sobject of SOBJECTS) this.tables.set(sobject.name, new Map());
  }

  recordRestCall(call: RestCallRecord): void {
    if (this.restCalls.length >= MAX_REST_CALLS) this.restCalls.shift();
    this.restCalls.push(call);
  }

  table(type: string): Map<string, SObjectRecord> {
    const table = this.tables.get(type);
    if (!table) throw new Error(`unknown sObject type ${type}`);
    return table;
  }

  all(type: string): SObjectRecord[] {
    return [...this.table(type).values()];
  }

  get(type: string, id: string): SObjectRecord | undefined {
    const id18 = toId18(id);
    return id18 ? this.table(type).get(id18) : undefined;
  }

  /** Stores a copy of the record; the record must carry its Id. */
  put(type: string, record: SObjectRecord): void {
    const id = String(record['Id']);
    this.unindex(type, this.table(type).get(id));
    const stored = { ...record };
    this.table(type).set(id, stored);
    this.index(type, stored);
  }

  remove(type: string, id: string): boolean {
    this.unindex(type, this.table(type).get(id));
    return this.table(type).delete(id);
  }

  /** Records of `type` whose indexed `field` equals `value` case-insensitively (field must be in INDEXED_FIELDS). */
  findByIndexed(type: string, field: string, value: string): SObjectRecord[] {
    const index = this.indexes.get(`${type}.${field}`);
    if (!index) throw new Error(`${type}.${field} is not indexed`);
    const wanted = value.toLowerCase();
    return [...(index.get(wanted) ?? [])]
      .map((id) => this.table(type).get(id))
      .filter((r): r is SObjectRecord => r !== undefined && String(r[field] ?? '').toLowerCase() === wanted);
  }

  private index(type: string, record: SObjectRecord): void {
    for (const [key, index] of this.indexes) {
      const [indexedType, field] = key.split('.');
      if (indexedType !== type) continue;
      const value = String(record[field] ?? '').toLowerCase();
      index.set(value, (index.get(value) ?? new Set<string>()).add(String(record['Id'])));
    }
  }

  private unindex(type: string, record: SObjectRecord | undefined): void {
    if (!record) return;
    for (const [key, index] of this.indexes) {
      const [indexedType, field] = key.split('.');
      if (indexedType !== type) continue;
      const value = String(record[field] ?? '').toLowerCase();
      index.get(value)?.delete(String(record['Id']));
      if (index.get(value)?.size === 0) index.delete(value);
    }
  }

  findUserByUsername(username: string): SObjectRecord | undefined {
    const wanted = username.toLowerCase();
    return this.findByIndexed('User', 'Username', wanted)[0];
  }

  /** Usernames are global across every Salesforce org. */
  isUsernameTaken(username: string, exceptUserId?: string): boolean {
    if (this.usernamesElsewhere.has(username.toLowerCase())) return true;
    const owner = this.findUserByUsername(username);
    return owner !== undefined && owner['Id'] !== exceptUserId;
  }

  addUsernameTakenElsewhere(username: string): void {
    this.usernamesElsewhere.add(username.toLowerCase());
  }

  setLoginCredential(username: string, password: string, securityToken: string): void {
    this.credentials.set(username.toLowerCase(), { passwordHash: hashSecret(password), securityToken });
    const user = this.findUserByUsername(username);
    if (user) this.passwordHashes.set(String(user['Id']), hashSecret(password));
  }

  /** The OAuth password grant: `password` is the user's password followed by the security token. */
  checkLogin(username: string, passwordWithToken: string): SObjectRecord | undefined {
    const user = this.findUserByUsername(username);
    const credential = this.credentials.get(username.toLowerCase());
    if (!user || !credential || user['IsActive'] !== true) return undefined;
    const token = credential.securityToken;
    if (!passwordWithToken.endsWith(token)) return undefined;
    const password = passwordWithToken.slice(0, passwordWithToken.length - token.length);
    const current = this.passwordHashes.get(String(user['Id'])) ?? credential.passwordHash;
    return secretMatches(current, password) ? user : undefined;
  }

  recordPasswordSet(userId: string, password: string, kind: PasswordSetEvent['kind']): void {
    this.passwordHashes.set(userId, hashSecret(password));
    const user = this.table('User').get(userId);
    this.passwordEvents.push({ userId, username: String(user?.['Username'] ?? ''), at: salesforceDateTime(new Date()), kind });
  }

  passwordMatches(userId: string, candidate: string): boolean {
    const id18 = toId18(userId);
    const hash = id18 ? this.passwordHashes.get(id18) : undefined;
    return hash !== undefined && secretMatches(hash, candidate);
  }

  apiUsage(): { used: number; max: number } {
    return { used: this.apiCalls, max: this.dailyApiLimit };
  }
}
