// Tiny fetch wrapper for the SCIM emulator tests: JSON in, status + headers + parsed JSON out.
import { startScimEmulator, type JsonObject, type JsonValue, type ScimEmulator, type ScimEmulatorOptions } from '../../src/scim/index.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: JsonObject;
  text: string;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent verbatim instead of JSON-encoding `body`. */
  raw?: string;
}

export async function call(method: string, url: string, body?: JsonValue, options: CallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { Accept: 'application/scim+json', ...options.headers };
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/scim+json';
  }
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let parsed: JsonObject = {};
  if (text !== '') parsed = JSON.parse(text) as JsonObject;
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** For the file's tests: an emulator started with `options`, state and faults cleared before each test, closed after all. */
export function useScimEmulator(options: ScimEmulatorOptions = {}): { readonly emu: ScimEmulator } {
  const started = {} as { emu: ScimEmulator };
  beforeAll(async () => {
    started.emu = await startScimEmulator(options);
  });
  afterAll(() => started.emu.close());
  beforeEach(() => {
    started.emu.state.reset();
    started.emu.faults.reset();
  });
  return started;
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export function user(userName: string, extra: JsonObject = {}): JsonObject {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}

export function group(displayName: string, extra: JsonObject = {}): JsonObject {
  return { schemas: [GROUP_SCHEMA], displayName, ...extra };
}

export function patch(...operations: JsonObject[]): JsonObject {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Asserts a SCIM 2.0 error body and returns it. */
export function expectScimError(result: HttpResult, status: number, scimType?: string): JsonObject {
  expect({ status: result.status, scimType: result.body['scimType'] }).toEqual({ status, scimType });
  expect(result.body['schemas']).toEqual([ERROR_SCHEMA]);
  expect(result.body['status']).toBe(String(status));
  expect(typeof result.body['detail']).toBe('string');
  return result.body;
}
