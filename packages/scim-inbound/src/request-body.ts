import type { Request } from 'express';
import { badRequest, ScimError } from './scim-error.js';

const JSON_TYPES = /^application\/(?:scim\+)?json$|^application\/[\w.-]+\+json$|^text\/json$/i;

/**
 * Reads and parses a JSON body with a byte limit, in SCIM's error format:
 * oversize → 413, a content type that is not JSON → 415, malformed → 400 invalidSyntax.
 * A missing Content-Type is read as JSON (several SCIM clients omit it).
 */
export async function readJsonBody(req: Request, limitBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type !== '' && !JSON_TYPES.test(type))
    throw new ScimError(415, undefined, `Content-Type ${type} is not supported; send application/scim+json`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw badRequest('invalidSyntax', 'the request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('invalidSyntax', 'the request body is not valid JSON');
  }
}

/**
 * The rest of the body is never read, so the connection cannot carry another request:
 * `Connection: close` tells the client (and Node) to end it after the answer, instead of
 * leaving unread bytes where the next request on a kept-alive socket would be parsed.
 */
function tooLarge(limitBytes: number): ScimError {
  return new ScimError(413, undefined, `the request body is larger than ${limitBytes} bytes`, { Connection: 'close' });
}

/** `1mb`, `512kb`, `1048576` → bytes. */
export function parseByteSize(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return 1024 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(match[1]) * unit);
}
