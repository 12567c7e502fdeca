import type { z } from 'zod';
import { ErrorBody } from './schemas/common.js';

export const JSON_MEDIA_TYPE = 'application/json';
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';
export type MediaType = typeof JSON_MEDIA_TYPE | typeof NDJSON_MEDIA_TYPE;

/** One status of a route: what it means and the body per content type (NDJSON: the schema of each line). */
export interface AdminResponse {
  description: string;
  content: Partial<Record<MediaType, z.ZodType>>;
}

type InputSchema = z.ZodObject | undefined;

export interface AdminRoute<P extends InputSchema = InputSchema, Q extends InputSchema = InputSchema, B extends InputSchema = InputSchema> {
  operationId: string;
  method: 'get' | 'post';
  /** Below /admin/v1, OpenAPI style: `/jobs/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** False only for the document itself. */
  authenticated: boolean;
  params: P;
  query: Q;
  body: B;
  /** Every status the route answers with, the shared 400/401/403/404/429/503 included. */
  responses: Record<number, AdminResponse>;
}

/** The values a handler receives once the request passed the route's schemas. */
export type ParsedInput<S extends InputSchema> = S extends z.ZodObject ? z.output<S> : Record<string, never>;

export interface RouteSpec<P extends InputSchema, Q extends InputSchema, B extends InputSchema> {
  method: 'get' | 'post';
  path: string;
  summary: string;
  description?: string;
  authenticated?: false;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, AdminResponse>;
  /** What a 404 means here (default: the path's {id} names nothing). */
  notFound?: string;
  /** What a 400 means here, beyond a parameter failing its schema. */
  badRequest?: string;
}

export const json = (schema: z.ZodType, description = 'OK'): AdminResponse => ({ description, content: { [JSON_MEDIA_TYPE]: schema } });

/**
 * A route with the responses every admin route shares, so the table cannot
 * forget them: 400 when it takes a query or body (or any POST: the body may not
 * be JSON), 401 behind credentials, 403 for writes (read-only credentials may
 * only GET) and for JWTs without a required scope, 429 while an address is
 * throttled after failed authentications, 503 when a JWT's keys cannot be had, 404 when the path names something, 413 for a POST body over the
 * server's limit.
 */
export function route<P extends InputSchema = undefined, Q extends InputSchema = undefined, B extends InputSchema = undefined>(
  operationId: string,
  spec: RouteSpec<P, Q, B>,
): AdminRoute<P, Q, B> {
  const authenticated = spec.authenticated ?? true;
  const responses: Record<number, AdminResponse> = { ...spec.responses };
  const writes = spec.method !== 'get';
  if (spec.query || spec.body || writes)
    responses[400] ??= json(
      ErrorBody,
      spec.badRequest ?? 'A query parameter or the body fails its schema (the message names the field), or the body is not JSON',
    );
  if (authenticated) responses[401] ??= json(ErrorBody, 'Missing or invalid credentials (a refused JWT names its reason)');
  if (authenticated)
    responses[403] ??= json(
      ErrorBody,
      writes ? 'Read-only credentials, or a JWT without a required scope' : 'A JWT without a required scope',
    );
  if (authenticated) responses[429] ??= json(ErrorBody, 'Too many failed authentications from this address (see Retry-After)');
  if (authenticated)
    responses[503] ??= json(ErrorBody, "A JWT could not be checked: the identity provider's keys (JWKS) could not be fetched");
  // Behind credentials, 404 is also what another tenant's admin gets: it learns nothing of this tenant.
  if (authenticated || spec.path.includes('{') || spec.notFound)
    responses[404] ??= json(
      ErrorBody,
      `${spec.notFound ?? 'Not found'}${authenticated ? "; also the answer to another tenant's admin credential" : ''}`,
    );
  if (writes) responses[413] ??= json(ErrorBody, 'The body is larger than server.bodyLimit');
  return {
    operationId,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    authenticated,
    params: spec.params as P,
    query: spec.query as Q,
    body: spec.body as B,
    responses,
  };
}
