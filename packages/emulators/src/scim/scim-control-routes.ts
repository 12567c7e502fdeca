// Loopback control plane for tests and the CLI: /__emulator/faults, /__emulator/state, /__emulator/reset.
// Unauthenticated on purpose: it is not part of the emulated service.
import type { ScimResponse } from './scim-context.js';
import type { ScimFaults } from './scim-faults.js';
import { isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import type { ScimEmulatorState } from './scim-state.js';

class ControlError extends Error {}

function num(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ControlError(`"${key}" must be a number`);
  return v;
}

function section(body: JsonObject, key: string): JsonObject | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!isJsonObject(v)) throw new ControlError(`"${key}" must be an object`);
  return v;
}

function bool(body: JsonObject, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ControlError(`"${key}" must be a boolean`);
  return v;
}

function describeFaults(faults: ScimFaults): JsonObject {
  return {
    latencyMs: faults.latencyMs,
    burst: faults.burst
      ? { remaining: faults.burst.remaining, status: faults.burst.status, retryAfterSec: faults.burst.retryAfterSec ?? null }
      : null,
    outage:
      faults.outage && faults.outage.until > Date.now()
        ? {
            until: new Date(faults.outage.until).toISOString(),
            status: faults.outage.status,
            retryAfterSec: faults.outage.retryAfterSec ?? null,
          }
        : null,
    dropNextResponses: faults.dropResponses,
    rejectPatchStatus: faults.rejectPatchStatus ?? null,
    patchSupported: faults.patchSupported,
    bulkSupported: faults.bulkSupported,
    failingUserNames: [...faults.failingUserNames.keys()],
  };
}

/** Applies a JSON fault description, e.g. {"failNext":{"count":2,"status":503,"retryAfterSec":1}} or {"failFor":{"ms":30000}}. */
function applyFaults(faults: ScimFaults, body: JsonObject): void {
  if (bool(body, 'reset')) faults.reset();
  const latency = num(body, 'latencyMs');
  if (latency !== undefined) faults.setLatency(latency);
  const failNext = section(body, 'failNext');
  if (failNext) faults.failNext(num(failNext, 'count') ?? 1, num(failNext, 'status') ?? 503, num(failNext, 'retryAfterSec'));
  const failFor = section(body, 'failFor');
  if (failFor) faults.failFor(num(failFor, 'ms') ?? 0, num(failFor, 'status') ?? 503, num(failFor, 'retryAfterSec'));
  const rateLimit = section(body, 'rateLimitNext');
  if (rateLimit) faults.rateLimitNext(num(rateLimit, 'count') ?? 1, num(rateLimit, 'retryAfterSec') ?? 1);
  if (bool(body, 'expireTokens')) faults.expireTokens();
  const patchSupported = bool(body, 'patchSupported');
  if (patchSupported !== undefined) faults.setPatchSupported(patchSupported);
  if (body['rejectPatch'] === null) faults.clearPatchRejection();
  const rejectPatch = body['rejectPatch'] === null ? undefined : section(body, 'rejectPatch');
  if (rejectPatch) faults.rejectPatch(num(rejectPatch, 'status') ?? 501);
  const bulkSupported = bool(body, 'bulkSupported');
  if (bulkSupported !== undefined) faults.setBulkSupported(bulkSupported);
  const failUser = section(body, 'failUserName');
  if (failUser) {
    if (typeof failUser['userName'] !== 'string') throw new ControlError('"failUserName.userName" must be a string');
    const detail = failUser['detail'];
    faults.failUserName(failUser['userName'], { status: num(failUser, 'status'), detail: typeof detail === 'string' ? detail : undefined });
  }
  const drop = num(body, 'dropNextResponses');
  if (drop !== undefined) faults.dropNextResponses(drop);
}

export function handleControl(
  method: string,
  path: string,
  body: JsonValue | undefined,
  faults: ScimFaults,
  state: ScimEmulatorState,
): ScimResponse {
  try {
    if (path === '/__emulator/state' && method === 'GET') return { status: 200, body: state.snapshot() };
    if (path === '/__emulator/reset' && method === 'POST') {
      state.reset();
      faults.reset();
      return { status: 204 };
    }
    if (path === '/__emulator/faults') {
      if (method === 'GET') return { status: 200, body: describeFaults(faults) };
      if (method === 'POST') {
        if (!isJsonObject(body)) throw new ControlError('Body must be a JSON object');
        applyFaults(faults, body);
        return { status: 200, body: describeFaults(faults) };
      }
    }
    return { status: 404, body: { error: `No control endpoint ${method} ${path}` } };
  } catch (err) {
    if (err instanceof ControlError) return { status: 400, body: { error: err.message } };
    throw err;
  }
}
