import { ConflictError, PermanentError, TransientError, type ProvisioningError } from '@provisio/core';
import { asObject } from './scim-dialect.js';
import type { HttpResponse } from './scim-transport.js';

export type ScimOperation = 'create' | 'update' | 'delete' | 'read';

export interface ParsedResponse extends HttpResponse {
  body: unknown;
}

/** The remote's own explanation: SCIM 2.0 `detail`, SCIM 1.1 `Errors[0].description`, OAuth `error_description`. */
export function remoteDetail(response: Pick<ParsedResponse, 'body' | 'text'>): string {
  const body = asObject(response.body);
  const v1 = Array.isArray(body?.['Errors']) ? asObject(body['Errors'][0]) : undefined;
  const candidates = [body?.['detail'], v1?.['description'], body?.['error_description'], body?.['error'], body?.['message']];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return (found ?? response.text.trim().slice(0, 300)) || '(no detail)';
}

export function scimTypeOf(response: Pick<ParsedResponse, 'body'>): string | undefined {
  const scimType = asObject(response.body)?.['scimType'];
  return typeof scimType === 'string' ? scimType : undefined;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ErrorContext {
  operation: ScimOperation;
  /** "POST http://host/scim/v2/Users" */
  request: string;
  now: number;
  scrub(text: string): string;
}

/**
 * A non-2xx SCIM response as a classified error. 401 never reaches here: the session
 * turns it into a PermanentError naming the auth fields after its one refresh.
 */
export function errorForResponse(response: ParsedResponse, ctx: ErrorContext): ProvisioningError {
  const status = response.status;
  const scimType = scimTypeOf(response);
  const detail = ctx.scrub(remoteDetail(response));
  const message = `${ctx.request} answered ${status}${scimType ? ` (${scimType})` : ''}: ${detail}`;
  const options = { remoteCode: status };
  if (status === 429 || status === 408 || (status >= 500 && status !== 501)) {
    return new TransientError(message, { ...options, retryAfterMs: retryAfterMs(response.headers['retry-after'], ctx.now) });
  }
  if (status === 409 && (ctx.operation === 'create' || scimType === 'uniqueness')) return new ConflictError(message, options);
  if (status === 409 || status === 412) return new TransientError(message, options); // a concurrent change: read again and retry
  return new PermanentError(message, options);
}
