// Test-only control plane under /__emulator: state inspection and fault injection over HTTP,
// for callers in another process (e.g. the CLI). Not part of Google's API.
import type { GoogleFaultCommand, GoogleFaults } from './google-faults.js';
import { type ApiRequest, type ApiResponse, isJsonObject, jsonResponse } from './google-http-types.js';
import type { GoogleEmulatorState } from './google-inspection.js';

export const CONTROL_PREFIX = '/__emulator';

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
      const command = parseFaultCommand(req.body);
      if (!command) return jsonResponse(400, { error: 'body must be a JSON object of fault settings' });
      faults.apply(command);
      return jsonResponse(200, faults.snapshot());
    }
    case 'DELETE /faults':
      faults.reset();
      return jsonResponse(200, faults.snapshot());
    default:
      return jsonResponse(404, { error: `unknown control route ${route}` });
  }
}

function parseFaultCommand(body: string): GoogleFaultCommand | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const number = (key: string): number | undefined => (typeof parsed[key] === 'number' ? (parsed[key] as number) : undefined);
  const status = number('backendErrorStatus');
  const refuse = parsed['refuseUser'];
  let refuseUser: GoogleFaultCommand['refuseUser'];
  if (refuse !== undefined) {
    if (
      !isJsonObject(refuse) ||
      typeof refuse['email'] !== 'string' ||
      (refuse['status'] !== 400 && refuse['status'] !== 403) ||
      typeof refuse['message'] !== 'string'
    )
      return undefined;
    refuseUser = { email: refuse['email'], status: refuse['status'], message: refuse['message'] };
  }
  return {
    ...(refuseUser ? { refuseUser } : {}),
    ...(number('dropNextResponses') === undefined ? {} : { dropNextResponses: number('dropNextResponses') }),
    ...(number('backendRetryAfterSec') === undefined ? {} : { backendRetryAfterSec: number('backendRetryAfterSec') }),
    ...(number('latencyMs') === undefined ? {} : { latencyMs: number('latencyMs') }),
    ...(number('backendErrors') === undefined ? {} : { backendErrors: number('backendErrors') }),
    ...(number('backendErrorsForMs') === undefined ? {} : { backendErrorsForMs: number('backendErrorsForMs') }),
    ...(status === 500 || status === 503 ? { backendErrorStatus: status } : {}),
    ...(number('rateLimits') === undefined ? {} : { rateLimits: number('rateLimits') }),
    ...(number('retryAfterSec') === undefined ? {} : { retryAfterSec: number('retryAfterSec') }),
    ...(parsed['revokeTokens'] === true ? { revokeTokens: true } : {}),
    ...(typeof parsed['keysRevoked'] === 'boolean' ? { keysRevoked: parsed['keysRevoked'] } : {}),
    ...(parsed['reset'] === true ? { reset: true } : {}),
  };
}
