import { randomBytes } from 'node:crypto';
import { isInvalidCredentials, type GoogleFailure } from './google-errors.js';
import type { GoogleSession } from './google-session.js';

/** Google's limit of calls in one batch request. */
export const MAX_BATCH_CALLS = 1000;
export const BATCH_PATH = 'batch/admin/directory_v1';
const API_PREFIX = '/admin/directory/v1';

/** One inner call: a Directory API path below /admin/directory/v1 and its JSON body. */
export interface BatchCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

/** One inner answer, in the order of the calls. */
export interface BatchAnswer {
  status: number;
  body?: unknown;
  headers: { get(name: string): string | null };
}

export function encodeBatch(calls: readonly BatchCall[], boundary: string): string {
  const parts = calls.map((call, index) => {
    const payload = call.body === undefined ? '' : JSON.stringify(call.body);
    return (
      `--${boundary}\r\n` +
      'Content-Type: application/http\r\n' +
      `Content-ID: <item${index}>\r\n\r\n` +
      `${call.method} ${API_PREFIX}${call.path} HTTP/1.1\r\n` +
      (call.body === undefined ? '' : 'Content-Type: application/json; charset=UTF-8\r\n') +
      `\r\n${payload}\r\n`
    );
  });
  return `${parts.join('')}--${boundary}--\r\n`;
}

function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

function splitHead(text: string): { head: string[]; rest: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text.split(/\r?\n/), rest: '' };
  return { head: text.slice(0, match.index).split(/\r?\n/), rest: text.slice(match.index + match[0].length) };
}

function headerMap(lines: string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

/** Reads the multipart/mixed answer; returns answers by the index in their Content-ID (`response-item<i>`). */
export function decodeBatch(contentType: string, body: string): Map<number, BatchAnswer> {
  const boundary = boundaryOf(contentType);
  const answers = new Map<number, BatchAnswer>();
  if (!boundary) return answers;
  for (const segment of body.split(`--${boundary}`).slice(1)) {
    if (segment.startsWith('--')) break;
    const outer = splitHead(segment.replace(/^\r?\n/, ''));
    const index = /item(\d+)/.exec(headerMap(outer.head).get('content-id') ?? '')?.[1];
    const inner = splitHead(outer.rest.replace(/^(\r?\n)+/, ''));
    const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(inner.head[0] ?? '')?.[1];
    if (index === undefined || status === undefined) continue;
    const headers = headerMap(inner.head.slice(1));
    answers.set(Number(index), {
      status: Number(status),
      body: parseJson(inner.rest),
      headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
    });
  }
  return answers;
}

/** One entry per call, in the calls' order: the part's answer, or why there is none. */
type BatchResults = Array<BatchAnswer | GoogleFailure>;

/**
 * Sends the calls in batches of up to 1,000 on the session's credentials. Each answer keeps
 * its call's position; a part Google did not answer, or a whole batch that failed, gives every
 * affected call the same failure, so each job still gets its own outcome.
 */
/** `signal`: the jobs' lease deadline; no chunk leaves after it. */
export async function sendBatch(session: GoogleSession, calls: readonly BatchCall[], signal?: AbortSignal): Promise<BatchResults> {
  const results: BatchResults = [];
  for (let start = 0; start < calls.length; start += MAX_BATCH_CALLS) {
    const chunk = calls.slice(start, start + MAX_BATCH_CALLS);
    results.push(...(await sendChunk(session, chunk, signal)));
  }
  return results;
}

/** Parts refused for a bad token did not run: send them again once with a new token. */
async function sendChunk(session: GoogleSession, calls: readonly BatchCall[], signal: AbortSignal | undefined): Promise<BatchResults> {
  const results = await sendOnce(session, calls, signal);
  const refused = results.flatMap((result, index) => (isInvalidCredentials(result) ? [index] : []));
  if (refused.length === 0) return results;
  session.renewToken();
  const retried = await sendOnce(
    session,
    refused.map((index) => calls[index]),
    signal,
  );
  refused.forEach((index, position) => (results[index] = retried[position]));
  return results;
}

async function sendOnce(session: GoogleSession, calls: readonly BatchCall[], signal: AbortSignal | undefined): Promise<BatchResults> {
  const boundary = `provisio_${randomBytes(12).toString('hex')}`;
  const answer = await session.raw(
    `batch of ${calls.length}`,
    {
      path: BATCH_PATH,
      contentType: `multipart/mixed; boundary=${boundary}`,
      body: encodeBatch(calls, boundary),
    },
    signal,
  );
  if (answer.status !== 200 || !/^multipart\/mixed/i.test(answer.contentType)) {
    const failure: GoogleFailure = { status: answer.status, body: parseJson(answer.body) };
    return calls.map(() => failure);
  }
  const parts = decodeBatch(answer.contentType, answer.body);
  return calls.map((_, index) => parts.get(index) ?? { networkCode: 'no answer for this call in the batch response' });
}

/** 2xx: the call did what was asked. Anything else is read as a GoogleFailure. */
export function isSuccess(result: BatchAnswer | GoogleFailure): result is BatchAnswer {
  return result.status !== undefined && result.status >= 200 && result.status < 300;
}
