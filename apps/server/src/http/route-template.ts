import type { Request } from 'express';

/**
 * The route a request matched as its template (`/scim/v2/Users/:id`), never the raw
 * path: metrics labels stay few and log lines carry no ids or query strings.
 * Answered by a mount's middleware (authentication): `<mount>/*`; by nothing: `unmatched`.
 */
export function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}` || '/';
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}
