// User-specific rules: usernames are email-shaped and unique across every
// Salesforce org; nicknames are unique in the org; Name is derived.
import type { SObjectRules } from './sobject-rules.js';
import { looksLikeEmail } from './field-rules.js';
import type { OrgState } from './org-state.js';
import type { SObjectRecord } from './records.js';

const DUPLICATE_USERNAME_MESSAGE =
  "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ";

function nicknameTaken(state: OrgState, nickname: string, exceptId: unknown): boolean {
  const wanted = nickname.toLowerCase();
  return state.findByIndexed('User', 'CommunityNickname', wanted).some((u) => u['Id'] !== exceptId);
}

function uniqueNickname(state: OrgState, username: string, userId: unknown): string {
  const base = username.split('@')[0].slice(0, 30) || 'user';
  let candidate = base;
  for (let n = 1; n < 10_000 && nicknameTaken(state, candidate, userId); n++) candidate = `${base}${n}`;
  return candidate;
}

export const userRules: SObjectRules = {
  validate(record: SObjectRecord, existing: SObjectRecord | undefined, state: OrgState) {
    const username = String(record['Username']);
    if (!looksLikeEmail(username)) {
      return {
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Username must be in the form of an email address (for example, john@acme.com): Username',
        fields: ['Username'],
      };
    }
    const usernameChanged = !existing || String(existing['Username']).toLowerCase() !== username.toLowerCase();
    if (usernameChanged && state.isUsernameTaken(username, existing ? String(existing['Id']) : undefined)) {
      return { statusCode: 'DUPLICATE_USERNAME', message: DUPLICATE_USERNAME_MESSAGE, fields: ['Username'] };
    }
    const nickname = record['CommunityNickname'];
    if (typeof nickname === 'string' && nicknameTaken(state, nickname, record['Id'])) {
      return {
        statusCode: 'DUPLICATE_COMM_NICKNAME',
        message: 'Duplicate Nickname.<br>Another user has already selected this nickname.<br>Please select another.',
        fields: ['CommunityNickname'],
      };
    }
    return undefined;
  },

  derive(record: SObjectRecord, existing: SObjectRecord | undefined, state: OrgState) {
    const first = record['FirstName'];
    record['Name'] = [first, record['LastName']].filter((p) => typeof p === 'string' && p !== '').join(' ');
    if (!existing) {
      record['UserType'] = 'Standard';
      if (record['CommunityNickname'] === null || record['CommunityNickname'] === undefined) {
        record['CommunityNickname'] = uniqueNickname(state, String(record['Username']), record['Id']);
      }
    }
  },
};
