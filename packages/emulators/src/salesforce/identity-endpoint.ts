// GET /id/{orgId}/{userId}: the identity URL returned as `id` by the token
// endpoint. Accepts the token as a bearer header or ?oauth_token=.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';
import type { OrgState } from './org-state.js';
import { bearerToken } from './rest-api.js';
import type { SessionStore } from './session-store.js';

export function serveIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  query: URLSearchParams,
  deps: { state: OrgState; sessions: SessionStore; loginUrl: string; instanceUrl: string },
): number {
  const token = bearerToken(req) ?? query.get('oauth_token') ?? undefined;
  const session = token ? deps.sessions.use(token) : undefined;
  const [orgId, userId] = segments;
  const user = userId ? deps.state.get('User', userId) : undefined;
  if (!session || orgId !== deps.state.orgId || !user || user['Id'] !== session.userId) {
    res.writeHead(403, { 'Content-Type': 'text/plain' });
    res.end('Bad_OAuth_Token');
    return 403;
  }
  const base = `${deps.instanceUrl}/services/data/v{version}`;
  sendJson(res, 200, {
    id: `${deps.loginUrl}/id/${orgId}/${String(user['Id'])}`,
    asserted_user: true,
    user_id: user['Id'],
    organization_id: orgId,
    username: user['Username'],
    nick_name: user['CommunityNickname'],
    display_name: user['Name'],
    email: user['Email'],
    first_name: user['FirstName'],
    last_name: user['LastName'],
    timezone: user['TimeZoneSidKey'],
    active: user['IsActive'],
    user_type: 'STANDARD',
    language: user['LanguageLocaleKey'],
    locale: user['LocaleSidKey'],
    urls: { rest: `${base}/`, sobjects: `${base}/sobjects/`, query: `${base}/query/` },
  });
  return 200;
}
