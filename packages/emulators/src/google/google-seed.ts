// Seeding before a test: users, groups and members created through the same handlers (and so the
// same validation) as the Directory API, without a token and without counting as API calls.
import type { DirectoryContext } from './google-directory-context.js';
import { GoogleApiError } from './google-errors.js';
import { insertGroup } from './google-groups-api.js';
import type { ApiRequest, ApiResponse, JsonObject } from './google-http-types.js';
import { insertMember } from './google-members-api.js';
import { insertUser } from './google-users-api.js';

type Insert = (ctx: DirectoryContext, params: string[], req: ApiRequest) => ApiResponse;

function run(ctx: DirectoryContext, insert: Insert, params: string[], body: JsonObject, what: string): JsonObject {
  const req: ApiRequest = { method: 'POST', path: '', query: new URLSearchParams(), headers: {}, body: JSON.stringify(body) };
  try {
    return insert(ctx, params, req).json as JsonObject;
  } catch (error) {
    // The API's own message (e.g. "Invalid Given/Family Name: FamilyName"), never the body: it may hold a password.
    if (error instanceof GoogleApiError) throw new Error(`Google emulator seed: ${what} refused (${error.code}): ${error.message}`);
    throw error;
  }
}

export const seedGoogleUser = (ctx: DirectoryContext, body: JsonObject): JsonObject =>
  run(ctx, insertUser, [], body, `user '${String(body['primaryEmail'])}'`);

export const seedGoogleGroup = (ctx: DirectoryContext, body: JsonObject): JsonObject =>
  run(ctx, insertGroup, [], body, `group '${String(body['email'])}'`);

export const seedGoogleMember = (ctx: DirectoryContext, groupKey: string, body: JsonObject): JsonObject =>
  run(ctx, insertMember, [groupKey], body, `member '${String(body['email'])}' of '${groupKey}'`);
