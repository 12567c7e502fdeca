// Google's batch format: a multipart/mixed body of `application/http` parts, each an inner HTTP request,
// answered by a multipart/mixed body of inner HTTP responses with `Content-ID: response-<id>`.
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { googleErrors } from './google-errors.js';
import type { ApiRequest, ApiResponse } from './google-http-types.js';

export const MAX_BATCH_PARTS = 1000;

export interface BatchPart {
  contentId?: string;
  request?: ApiRequest;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed\b/i.test(contentType.trim())) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Splits the batch body; a part whose inner request cannot be read gets no `request` (answered 400). */
export function parseBatch(body: string, boundary: string): BatchPart[] {
  const delimiter = `--${boundary}`;
  const segments = body.split(delimiter).slice(1);
  const parts: BatchPart[] = [];
  for (const segment of segments) {
    if (segment.startsWith('--')) break;
    parts.push(parsePart(segment.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    if (parts.length > MAX_BATCH_PARTS) {
      throw googleErrors.badRequest(`A batch request cannot contain more than ${MAX_BATCH_PARTS} requests.`);
    }
  }
  return parts;
}

function splitHead(text: string): { head: string[]; rest: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text.split(/\r?\n/), rest: '' };
  return { head: text.slice(0, match.index).split(/\r?\n/), rest: text.slice(match.index + match[0].length) };
}

function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parsePart(text: string): BatchPart {
  const outer = splitHead(text);
  const partHeaders = parseHeaders(outer.head);
  const contentId = partHeaders['content-id'];
  const withId = contentId === undefined ? {} : { contentId };
  if (!/^application\/http\b/i.test(partHeaders['content-type'] ?? '')) return withId;
  const inner = splitHead(outer.rest.replace(/^(\r?\n)+/, ''));
  const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/.exec(inner.head[0]?.trim() ?? '');
  if (!requestLine) return withId;
  const url = new URL(requestLine[2], 'http://batch.invalid');
  return {
    ...withId,
    request: {
      method: requestLine[1],
      path: url.pathname,
      query: url.searchParams,
      headers: parseHeaders(inner.head.slice(1)),
      body: inner.rest,
    },
  };
}

/** `<item1>` answers `<response-item1>`, `item1` answers `response-item1`, as Google does. */
function responseContentId(contentId: string): string {
  const bracketed = /^<(.*)>$/.exec(contentId);
  return bracketed ? `<response-${bracketed[1]}>` : `response-${contentId}`;
}

export function formatBatchResponse(answers: Array<{ contentId?: string; response: ApiResponse }>): { boundary: string; body: string } {
  const boundary = `batch_${randomBytes(12).toString('base64url')}`;
  const chunks: string[] = [];
  for (const { contentId, response } of answers) {
    const payload = response.json !== undefined ? JSON.stringify(response.json) : response.text !== undefined ? response.text.body : '';
    const innerHeaders: string[] = [];
    if (response.status !== 204) {
      innerHeaders.push(`Content-Type: ${response.text?.contentType ?? 'application/json; charset=UTF-8'}`);
    }
    for (const [name, value] of Object.entries(response.headers ?? {})) innerHeaders.push(`${name}: ${value}`);
    innerHeaders.push(`Content-Length: ${Buffer.byteLength(payload)}`);
    chunks.push(
      `--${boundary}\r\n` +
        'Content-Type: application/http\r\n' +
        (contentId === undefined ? '' : `Content-ID: ${responseContentId(contentId)}\r\n`) +
        '\r\n' +
        `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n` +
        innerHeaders.map((h) => `${h}\r\n`).join('') +
        '\r\n' +
        `${payload}\r\n`,
    );
  }
  chunks.push(`--${boundary}--\r\n`);
  return { boundary, body: chunks.join('') };
}
