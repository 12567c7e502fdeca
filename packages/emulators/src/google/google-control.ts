// Test-only control plane under /__emulator: state inspection and fault injection over HTTP,
// for callers in another process (e.g. the CLI). Not part of Google's API.
import { applyFaultCommand, faultCommandProblem, parseFaultCommand } from '../faults/fault-command.js';
import type { GoogleFaults } from './google-faults.js';
import { type ApiRequest, type ApiResponse, jsonResponse } from './google-http-types.js';
import type { GoogleEmulatorState } from './google-inspection.js';

export const CONTROL_PREFIX = '/__emulator';

/** Google's one setting beyond the common vocabulary: true revokes the service accounts' keys, false restores them. */
const GOOGLE_KEYS = {
  keysRevoked: (value: unknown) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
};

export function handleControl(req: ApiRequest, state: GoogleEmulatorState, faults: GoogleFaults): ApiResponse {
  const route = `${req.method} ${req.path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'GET /state':
      return jsonResponse(200, state.snapshot());
    case 'POST /reset':
      state.reset();
      faults.reset();
      return jsonResponse(200, state.snapshot());
    case 'GET /faults':
      return jsonResponse(200, faults.snapshot());
    case 'POST /faults': {
      const parsed = parseFaultCommand(req.body, GOOGLE_KEYS);
      if ('error' in parsed) return jsonResponse(400, faultCommandProblem(parsed.error));
      applyFaultCommand(faults, parsed.command);
      if (parsed.extras['keysRevoked'] === true) faults.revokeServiceAccountKeys();
      if (parsed.extras['keysRevoked'] === false) faults.restoreServiceAccountKeys();
      return jsonResponse(200, faults.snapshot());
    }
    case 'DELETE /faults':
      faults.reset();
      return jsonResponse(200, faults.snapshot());
    default:
      return jsonResponse(404, { error: `unknown control route ${route}` });
  }
}
