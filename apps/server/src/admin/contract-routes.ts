import type { NextFunction, Request, Response, Router } from 'express';
import type { AdminRoute, ParsedInput } from '@provisio/admin-contract';
import { fail } from './http-helpers.js';

interface RouteInput<R extends AdminRoute> {
  params: ParsedInput<R['params']>;
  query: ParsedInput<R['query']>;
  body: ParsedInput<R['body']>;
}

type Handler<R extends AdminRoute> = (input: RouteInput<R>, req: Request, res: Response) => Promise<void> | void;

interface Issue {
  path: PropertyKey[];
  message: string;
}

const PLACES = { params: 'path parameter', query: 'query parameter', body: 'body field' } as const;

/** "query parameter limit: Too big: expected number to be <=1000" (the first issue of each part). */
function describe(place: keyof typeof PLACES, issue: Issue): string {
  if (issue.path.length === 0)
    return place === 'body' ? `the body: ${issue.message} (send a JSON object)` : `${PLACES[place]}s: ${issue.message}`;
  return `${PLACES[place]} ${issue.path.map(String).join('.')}: ${issue.message}`;
}

/** The query without empty values: `?status=` means no status filter, as the console and CLI send it. */
function nonEmpty(query: Request['query']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

/** The request's path, query and body checked against the route's schemas, or the message of a 400. */
function parseInput<R extends AdminRoute>(route: R, req: Request): { input: RouteInput<R> } | { error: string } {
  const raw = { params: req.params, query: nonEmpty(req.query), body: req.body ?? {} };
  const input: Record<string, unknown> = { params: {}, query: {}, body: {} };
  const problems: string[] = [];
  for (const place of ['params', 'query', 'body'] as const) {
    const schema = route[place];
    if (!schema) continue;
    const result = schema.safeParse(raw[place]);
    if (result.success) input[place] = result.data;
    else problems.push(...result.error.issues.map((issue) => describe(place, issue)));
  }
  if (problems.length > 0) return { error: problems.join('; ') };
  return { input: input as unknown as RouteInput<R> };
}

/**
 * Mounts one route of ADMIN_ROUTES: its path in express syntax, its input
 * checked first (400 naming the field), rejected promises to the error handler.
 */
export function mount<R extends AdminRoute>(router: Router, route: R, handler: Handler<R>): void {
  const path = route.path.replace(/\{(\w+)\}/g, ':$1');
  router[route.method](path, (req: Request, res: Response, next: NextFunction) => {
    const parsed = parseInput(route, req);
    if ('error' in parsed) {
      fail(res, 400, parsed.error);
      return;
    }
    Promise.resolve()
      .then(() => handler(parsed.input, req, res))
      .catch(next);
  });
}
