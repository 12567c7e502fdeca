// users.* and users.aliases.* of the Directory API.
import { type DirectoryContext, listScope, nowIso, parseJsonBody, type RouteParams } from './google-directory-context.js';
import { googleErrors } from './google-errors.js';
import { domainOf, normalizeWorkspaceAddress } from './google-field-types.js';
import { type ApiRequest, type ApiResponse, isJsonObject, type JsonObject, jsonResponse, noContent } from './google-http-types.js';
import { newEtag, newUserId } from './google-ids.js';
import { paginate } from './google-paging.js';
import { toAliasResource, toUserResource } from './google-resources.js';
import { storePassword, type UserRecord } from './google-state.js';
import { matchesUserQuery, parseUserQuery } from './google-user-query.js';
import { validateUserWrite } from './google-user-validation.js';

const USER_PAGE = { defaultSize: 100, maxSize: 500 };
const ORDER_FIELDS: Record<string, (u: UserRecord) => string> = {
  email: (u) => u.primaryEmail,
  givenName: (u) => nameField(u, 'givenName'),
  familyName: (u) => nameField(u, 'familyName'),
};

function nameField(user: UserRecord, key: string): string {
  const name = user.fields['name'];
  const value = isJsonObject(name) ? name[key] : undefined;
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function requireUser(ctx: DirectoryContext, key: string): UserRecord {
  const user = ctx.state.findUser(key);
  if (!user) throw googleErrors.notFound('userKey');
  return user;
}

function render(ctx: DirectoryContext, user: UserRecord): JsonObject {
  return toUserResource(user, ctx.options.customerId);
}

export function insertUser(ctx: DirectoryContext, _params: RouteParams, req: ApiRequest): ApiResponse {
  const write = validateUserWrite(parseJsonBody(req), 'insert', ctx.options);
  const primaryEmail = write.primaryEmail as string;
  if (ctx.state.isAddressTaken(primaryEmail)) throw googleErrors.entityExists();
  const password = write.password as { value: string; hashFunction?: string };
  const user: UserRecord = {
    id: newUserId(),
    primaryEmail,
    fields: dropNulls(write.fields),
    aliases: [],
    isAdmin: false,
    creationTime: nowIso(ctx),
    etag: newEtag(primaryEmail),
    password: storePassword(password.value, password.hashFunction),
  };
  ctx.state.users.set(user.id, user);
  ctx.state.recordPasswordChange(user, 'insert', user.creationTime);
  return jsonResponse(200, render(ctx, user));
}

export function getUser(ctx: DirectoryContext, [userKey]: RouteParams): ApiResponse {
  return jsonResponse(200, render(ctx, requireUser(ctx, userKey)));
}

/** users.update has patch semantics in the Directory API: absent fields are kept, null clears. */
export function patchUser(ctx: DirectoryContext, [userKey]: RouteParams, req: ApiRequest): ApiResponse {
  const user = requireUser(ctx, userKey);
  const write = validateUserWrite(parseJsonBody(req), 'patch', ctx.options);
  if (write.primaryEmail && write.primaryEmail !== user.primaryEmail) rename(ctx, user, write.primaryEmail);
  for (const [key, value] of Object.entries(write.fields)) {
    if (value === null) delete user.fields[key];
    else if (key === 'name' && isJsonObject(value) && isJsonObject(user.fields['name'])) {
      user.fields['name'] = { ...user.fields['name'], ...value };
    } else user.fields[key] = value;
  }
  if (write.password) {
    user.password = storePassword(write.password.value, write.password.hashFunction);
    ctx.state.recordPasswordChange(user, req.method === 'PUT' ? 'update' : 'patch', nowIso(ctx));
  }
  user.etag = newEtag(user.id + nowIso(ctx));
  return jsonResponse(200, render(ctx, user));
}

/** Renaming keeps the old address as an alias, as Google does. */
function rename(ctx: DirectoryContext, user: UserRecord, newEmail: string): void {
  const owner = ctx.state.findUser(newEmail);
  if ((owner && owner !== user) || ctx.state.findGroup(newEmail)) throw googleErrors.entityExists();
  const oldEmail = user.primaryEmail;
  user.aliases = user.aliases.filter((a) => a !== newEmail);
  user.aliases.push(oldEmail);
  user.primaryEmail = newEmail;
  for (const members of ctx.state.members.values()) {
    const member = members.get(user.id);
    if (member) member.email = newEmail;
  }
}

export function deleteUser(ctx: DirectoryContext, [userKey]: RouteParams): ApiResponse {
  const user = requireUser(ctx, userKey);
  ctx.state.users.delete(user.id);
  ctx.state.removeFromAllGroups(user.id);
  return noContent();
}

export function listUsers(ctx: DirectoryContext, _params: RouteParams, req: ApiRequest): ApiResponse {
  const { query } = req;
  const { customer, domain } = listScope(ctx, query);
  const orderBy = query.get('orderBy') ?? 'email';
  const sortKey = ORDER_FIELDS[orderBy];
  if (!sortKey) throw googleErrors.invalid(`Invalid value at 'order_by', "${orderBy}"`);
  const sortOrder = query.get('sortOrder') ?? 'ASCENDING';
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') throw googleErrors.invalid(`Invalid value at 'sort_order', "${sortOrder}"`);

  const clauses = parseUserQuery(query.get('query'));
  // Deleted users are gone for good here, so a listing of deleted users is always empty.
  const candidates = query.get('showDeleted') === 'true' ? [] : [...ctx.state.users.values()];
  const matching = candidates
    .filter((u) => !domain || domainOf(u.primaryEmail) === domain.toLowerCase())
    .filter((u) => matchesUserQuery(u, clauses));

  const listingKey = ['users', customer, domain, query.get('query'), orderBy, sortOrder].join('|');
  const page = paginate(matching, query, USER_PAGE, listingKey, {
    positionOf: (u) => `${sortKey(u).toLowerCase()}\u0000${u.id}`,
    descending: sortOrder === 'DESCENDING',
  });
  const body: JsonObject = { kind: 'admin#directory#users', etag: newEtag(listingKey) };
  // Google leaves `users` out of an empty result.
  if (page.items.length > 0) body['users'] = page.items.map((u) => render(ctx, u));
  if (page.nextPageToken) body['nextPageToken'] = page.nextPageToken;
  return jsonResponse(200, body);
}

export function insertUserAlias(ctx: DirectoryContext, [userKey]: RouteParams, req: ApiRequest): ApiResponse {
  const user = requireUser(ctx, userKey);
  const body = parseJsonBody(req);
  const raw = isJsonObject(body) ? body['alias'] : undefined;
  const alias = typeof raw === 'string' ? normalizeWorkspaceAddress(raw) : undefined;
  if (!alias || !ctx.options.domains.includes(domainOf(alias))) throw googleErrors.invalid('Invalid Input: alias_email');
  if (ctx.state.isAddressTaken(alias)) throw googleErrors.entityExists();
  user.aliases.push(alias);
  user.etag = newEtag(user.id + alias);
  return jsonResponse(200, toAliasResource(user, alias, newEtag(alias)));
}

export function listUserAliases(ctx: DirectoryContext, [userKey]: RouteParams): ApiResponse {
  const user = requireUser(ctx, userKey);
  const body: JsonObject = { kind: 'admin#directory#aliases', etag: newEtag(user.id) };
  if (user.aliases.length > 0) body['aliases'] = user.aliases.map((a) => toAliasResource(user, a, newEtag(a)));
  return jsonResponse(200, body);
}

export function deleteUserAlias(ctx: DirectoryContext, [userKey, alias]: RouteParams): ApiResponse {
  const user = requireUser(ctx, userKey);
  const index = user.aliases.indexOf(alias.toLowerCase());
  if (index < 0) throw googleErrors.notFound('alias');
  user.aliases.splice(index, 1);
  user.etag = newEtag(user.id + alias);
  return noContent();
}

function dropNulls(fields: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
}
