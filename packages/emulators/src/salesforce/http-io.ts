// Reading requests and writing responses on node:http, in Salesforce's style
// (JSON with charset=UTF-8).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SalesforceRestError } from './errors.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw SalesforceRestError.single(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body; malformed JSON is Salesforce's JSON_PARSER_ERROR. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  try {
    return JSON.parse(text);
  } catch {
    // Never echo the parser's detail: it quotes the body, which may hold a password.
    throw SalesforceRestError.single(400, 'JSON_PARSER_ERROR', 'Unexpected character in request body: the body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendNoContent(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(204, headers);
  res.end();
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
