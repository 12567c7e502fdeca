// Loopback control plane for tests and the CLI: /__emulator/faults, /__emulator/state, /__emulator/reset.
// Unauthenticated on purpose: it is not part of the emulated service.
import { applyFaultCommand, faultCommandProblem, parseFaultCommand } from '../faults/fault-command.js';
import type { ScimResponse } from './scim-context.js';
import type { ScimFaults } from './scim-faults.js';
import type { JsonObject, JsonValue } from './scim-json.js';
import type { ScimEmulatorState } from './scim-state.js';

const mustBeBoolean = (value: unknown) => (typeof value === 'boolean' ? undefined : 'must be true or false');

/** The settings only a SCIM service has, beside the common vocabulary. */
const SCIM_KEYS = {
  patchSupported: mustBeBoolean,
  bulkSupported: mustBeBoolean,
  /** `{status}` to refuse PATCH while advertising it; null to stop. */
  rejectPatch: (value: unknown) =>
    value === null ||
    (typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).every((key) => key === 'status') &&
      ((value as { status?: unknown }).status === undefined || typeof (value as { status?: unknown }).status === 'number'))
      ? undefined
      : 'must be {"status": <number>} or null',
};

function applyScimFaults(faults: ScimFaults, body: JsonValue | undefined): ScimResponse {
  const parsed = parseFaultCommand(body ?? {}, SCIM_KEYS);
  if ('error' in parsed) return { status: 400, body: faultCommandProblem(parsed.error) };
  applyFaultCommand(faults, parsed.command);
  const { patchSupported, bulkSupported, rejectPatch } = parsed.extras;
  if (typeof patchSupported === 'boolean') faults.setPatchSupported(patchSupported);
  if (typeof bulkSupported === 'boolean') faults.setBulkSupported(bulkSupported);
  if (rejectPatch === null) faults.rejectPatch(null);
  else if (rejectPatch !== undefined) faults.rejectPatch((rejectPatch as { status?: number }).status ?? 501);
  return { status: 200, body: faults.snapshot() as unknown as JsonObject };
}

export function handleControl(
  method: string,
  path: string,
  body: JsonValue | undefined,
  faults: ScimFaults,
  state: ScimEmulatorState,
): ScimResponse {
  if (path === '/__emulator/state' && method === 'GET') return { status: 200, body: state.snapshot() };
  if (path === '/__emulator/reset' && method === 'POST') {
    state.reset();
    faults.reset();
    return { status: 204 };
  }
  if (path === '/__emulator/faults') {
    if (method === 'GET') return { status: 200, body: faults.snapshot() as unknown as JsonObject };
    if (method === 'POST') return applyScimFaults(faults, body);
    if (method === 'DELETE') {
      faults.reset();
      return { status: 200, body: faults.snapshot() as unknown as JsonObject };
    }
  }
  return { status: 404, body: { error: `No control endpoint ${method} ${path}` } };
}
