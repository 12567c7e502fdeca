// POST /services/oauth2/token: the password, client_credentials, JWT bearer
// and refresh_token grants, with Salesforce's answers and error codes.
import { createHmac } from 'node:crypto';
import { OAuthError } from './errors.js';
import { audienceMatches, decodeAssertion, publicKeyFrom, signatureValid } from './jwt-bearer.js';
import type { ConnectedAppOptions } from './options.js';
import type { OrgState } from './org-state.js';
import type { SObjectRecord } from './records.js';
import { safeEqual } from './secrets.js';
import type { SessionStore } from './session-store.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope?: string;
}

export interface TokenEndpointContext {
  state: OrgState;
  sessions: SessionStore;
  clients: ConnectedAppOptions[];
  loginUrl: () => string;
  instanceUrl: () => string;
  /** Accepted `aud` values of JWT assertions. */
  audiences: () => string[];
}

const authenticationFailure = (): OAuthError => new OAuthError('invalid_grant', 'authentication failure');

function findClient(ctx: TokenEndpointContext, clientId: string | undefined): ConnectedAppOptions {
  const client = clientId ? ctx.clients.find((c) => c.clientId === clientId) : undefined;
  if (!client) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  return client;
}

function checkSecret(client: ConnectedAppOptions, secret: string | undefined): void {
  if (secret === undefined || !safeEqual(secret, client.clientSecret)) throw new OAuthError('invalid_client', 'invalid client credentials');
}

/** client_id/client_secret come from the form, or from HTTP Basic auth as RFC 6749 allows. */
function clientCredentialsOf(params: URLSearchParams, authorization: string | undefined): { id?: string; secret?: string } {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: params.get('client_id') ?? undefined, secret: params.get('client_secret') ?? undefined };
}

function issue(
  ctx: TokenEndpointContext,
  user: SObjectRecord,
  client: ConnectedAppOptions,
  grantType: string,
  scope?: string,
): TokenResponse {
  const userId = String(user['Id']);
  const { accessToken, session } = ctx.sessions.issue(userId, client.clientId, grantType);
  const id = `${ctx.loginUrl()}/id/${ctx.state.orgId}/${userId}`;
  const issuedAt = String(session.issuedAt);
  const signature = createHmac('sha256', client.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  const response: TokenResponse = {
    access_token: accessToken,
    instance_url: ctx.instanceUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature,
  };
  if (scope) response.scope = scope;
  user['LastLoginDate'] = new Date(session.issuedAt).toISOString().replace('Z', '+0000');
  ctx.state.put('User', user);
  return response;
}

function activeUser(ctx: TokenEndpointContext, username: string | undefined): SObjectRecord | undefined {
  const user = username ? ctx.state.findUserByUsername(username) : undefined;
  return user && user['IsActive'] === true ? user : undefined;
}

function passwordGrant(ctx: TokenEndpointContext, params: URLSearchParams, authorization?: string): TokenResponse {
  const { id, secret } = clientCredentialsOf(params, authorization);
  const client = findClient(ctx, id);
  checkSecret(client, secret);
  const user = ctx.state.checkLogin(params.get('username') ?? '', params.get('password') ?? '');
  if (!user) throw authenticationFailure();
  return issue(ctx, user, client, 'password');
}

function clientCredentialsGrant(ctx: TokenEndpointContext, params: URLSearchParams, authorization?: string): TokenResponse {
  const { id, secret } = clientCredentialsOf(params, authorization);
  const client = findClient(ctx, id);
  checkSecret(client, secret);
  if (!client.executionUsername) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
  const user = activeUser(ctx, client.executionUsername);
  if (!user) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
  return issue(ctx, user, client, 'client_credentials', 'api');
}

function jwtBearerGrant(ctx: TokenEndpointContext, params: URLSearchParams): TokenResponse {
  const decoded = decodeAssertion(params.get('assertion') ?? '');
  const { claims } = decoded;
  const client = findClient(ctx, claims.iss);
  if (!audienceMatches(claims.aud, ctx.audiences())) throw new OAuthError('invalid_grant', 'audience is invalid');
  if (claims.exp * 1000 <= Date.now()) throw new OAuthError('invalid_grant', 'expired authorization code');
  if (!client.certificate || !signatureValid(decoded, publicKeyFrom(client.certificate))) {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  const user = activeUser(ctx, claims.sub);
  if (!user) throw new OAuthError('invalid_grant', 'invalid assertion');
  const approved = client.jwtPreAuthorizedUsernames;
  if (approved && !approved.some((u) => u.toLowerCase() === claims.sub.toLowerCase())) {
    throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
  }
  return issue(ctx, user, client, JWT_BEARER_GRANT, 'api');
}

function refreshTokenGrant(ctx: TokenEndpointContext, params: URLSearchParams, authorization?: string): TokenResponse {
  const { id, secret } = clientCredentialsOf(params, authorization);
  const client = findClient(ctx, id);
  if (secret !== undefined) checkSecret(client, secret);
  const grant = ctx.sessions.refreshGrant(params.get('refresh_token') ?? '');
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'expired access/refresh token');
  const user = ctx.state.get('User', grant.userId);
  if (!user || user['IsActive'] !== true) throw new OAuthError('invalid_grant', 'inactive user');
  return issue(ctx, user, client, 'refresh_token');
}

export function handleTokenRequest(ctx: TokenEndpointContext, params: URLSearchParams, authorization?: string): TokenResponse {
  const grantType = params.get('grant_type') ?? '';
  let ok = false;
  try {
    let response: TokenResponse;
    if (grantType === 'password') response = passwordGrant(ctx, params, authorization);
    else if (grantType === 'client_credentials') response = clientCredentialsGrant(ctx, params, authorization);
    else if (grantType === JWT_BEARER_GRANT) response = jwtBearerGrant(ctx, params);
    else if (grantType === 'refresh_token') response = refreshTokenGrant(ctx, params, authorization);
    else throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    ok = true;
    return response;
  } finally {
    ctx.state.tokenRequests.push({ grantType, ok, at: new Date().toISOString() });
  }
}
