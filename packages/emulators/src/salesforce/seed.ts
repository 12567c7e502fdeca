// Builds the starting org from the emulator options: standard profiles (each
// with its profile-owned permission set), permission sets, users, groups, logins.
import { insertRecord } from './dml.js';
import type { SalesforceEmulatorOptions, SeedGroup, SeedUser } from './options.js';
import { STANDARD_PROFILES } from './options.js';
import type { OrgState } from './org-state.js';
import type { FieldInput } from './record-input.js';
import type { FieldValue } from './records.js';
import { GROUP, GROUP_MEMBER, USER, type SObjectDef } from './schema.js';
import type { SessionStore } from './session-store.js';

/** CreatedById of seeded rows: an id-shaped placeholder for "the org's setup". */
const SETUP_ACTOR = '005000000000000AAA';

function seedProfiles(state: OrgState, names: string[]): void {
  for (const name of names) {
    if (state.all('Profile').some((p) => p['Name'] === name)) continue;
    const profileId = state.ids.next('00e');
    state.put('Profile', { Id: profileId, Name: name, UserType: 'Standard', Description: null });
    state.put('PermissionSet', {
      Id: state.ids.next('0PS'),
      Name: `X${profileId.slice(0, 15)}`,
      Label: name,
      Description: null,
      IsOwnedByProfile: true,
      IsCustom: false,
      ProfileId: profileId,
    });
  }
}

function insertSeed(state: OrgState, sobject: SObjectDef, fields: Record<string, FieldValue | undefined>, what: string): string {
  const input: FieldInput = new Map();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) input.set(name, value);
  const result = insertRecord(state, sobject, input, SETUP_ACTOR);
  if (!result.success)
    throw new Error(`Salesforce emulator seed: ${what} rejected: ${result.errors[0].statusCode} ${result.errors[0].message}`);
  return String(result.id);
}

function seedGroup(state: OrgState, seed: SeedGroup): void {
  const groupId = insertSeed(state, GROUP, { Name: seed.Name, DeveloperName: seed.DeveloperName, Type: seed.Type }, `group '${seed.Name}'`);
  for (const username of seed.members ?? []) {
    const user = state.findUserByUsername(username);
    if (!user) throw new Error(`Salesforce emulator seed: group '${seed.Name}' names unknown user '${username}'`);
    insertSeed(state, GROUP_MEMBER, { GroupId: groupId, UserOrGroupId: String(user['Id']) }, `member '${username}' of '${seed.Name}'`);
  }
}

/** Inserts one user as the org's setup would; answers its Id. */
export function seedUser(state: OrgState, seed: SeedUser, defaultProfile: string): string {
  const { profileName, ...fields } = seed;
  const local = seed.Username.split('@')[0] ?? 'user';
  const profile = state.all('Profile').find((p) => p['Name'] === (profileName ?? defaultProfile));
  if (!profile) throw new Error(`Salesforce emulator seed: unknown profile '${profileName ?? defaultProfile}'`);
  const defaults: Record<string, FieldValue> = {
    LastName: local,
    Email: seed.Username,
    Alias: local.slice(0, 8),
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: String(profile['Id']),
  };
  const input: FieldInput = new Map();
  for (const [name, value] of Object.entries({ ...defaults, ...fields })) {
    if (value !== undefined && USER.fields.some((f) => f.name === name)) input.set(name, value);
  }
  const result = insertRecord(state, USER, input, SETUP_ACTOR);
  if (!result.success || result.id === undefined)
    throw new Error(`Salesforce emulator seed: user '${seed.Username}' rejected: ${result.errors[0]?.statusCode ?? 'no id'}`);
  return result.id;
}

export function seedOrg(state: OrgState, sessions: SessionStore, options: SalesforceEmulatorOptions): void {
  seedProfiles(state, [...STANDARD_PROFILES, ...(options.profiles ?? [])]);
  for (const ps of options.permissionSets ?? []) {
    state.put('PermissionSet', {
      Id: state.ids.next('0PS'),
      Name: ps.Name,
      Label: ps.Label ?? ps.Name,
      Description: ps.Description ?? null,
      IsOwnedByProfile: false,
      IsCustom: true,
      ProfileId: null,
    });
  }
  for (const username of options.usernamesTakenElsewhere ?? []) state.addUsernameTakenElsewhere(username);
  for (const user of options.users ?? []) seedUser(state, user, 'Standard User');
  const integrationUsers = [
    ...(options.credentials ?? []).map((c) => c.username),
    ...(options.clients ?? []).flatMap((c) => (c.executionUsername ? [c.executionUsername] : [])),
  ];
  for (const username of integrationUsers) {
    if (!state.findUserByUsername(username))
      seedUser(state, { Username: username, profileName: 'System Administrator' }, 'System Administrator');
  }
  for (const group of options.groups ?? []) seedGroup(state, group);
  for (const credential of options.credentials ?? []) {
    state.setLoginCredential(credential.username, credential.password, credential.securityToken);
  }
  for (const grant of options.refreshTokens ?? []) {
    const user = state.findUserByUsername(grant.username);
    if (!user) throw new Error(`Salesforce emulator seed: refresh token for unknown user '${grant.username}'`);
    sessions.addRefreshToken(grant.refreshToken, { clientId: grant.clientId, userId: String(user['Id']) });
  }
}
