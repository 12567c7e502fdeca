// /__emulator/state and /__emulator/faults: inspection and fault injection
// over HTTP, for the CLI and for humans. Not part of Salesforce's API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SalesforceFaults } from './salesforce-faults.js';
import { applyFaultCommand, faultCommandProblem, parseFaultCommand } from '../faults/fault-command.js';
import { readBody, sendJson } from './http-io.js';
import type { SalesforceStateView } from './state-view.js';

/** Salesforce's one setting beyond the common vocabulary. */
const SALESFORCE_KEYS = {
  requestLimitExceededAfter: (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : 'must be a whole number of calls >= 0',
};

export async function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  view: SalesforceStateView,
  faults: SalesforceFaults,
): Promise<number> {
  if (path === '/__emulator/state' && req.method === 'GET') {
    sendJson(res, 200, { ...view.snapshot(), faults: faults.snapshot() });
    return 200;
  }
  if (path === '/__emulator/faults' && req.method === 'GET') {
    sendJson(res, 200, faults.snapshot());
    return 200;
  }
  if (path === '/__emulator/faults' && req.method === 'POST') {
    const parsed = parseFaultCommand(await readBody(req), SALESFORCE_KEYS);
    if ('error' in parsed) {
      sendJson(res, 400, faultCommandProblem(parsed.error));
      return 400;
    }
    applyFaultCommand(faults, parsed.command);
    const limit = parsed.extras['requestLimitExceededAfter'];
    if (typeof limit === 'number') faults.requestLimitExceededAfter(limit);
    sendJson(res, 200, faults.snapshot());
    return 200;
  }
  if (path === '/__emulator/faults' && req.method === 'DELETE') {
    faults.reset();
    sendJson(res, 200, faults.snapshot());
    return 200;
  }
  sendJson(res, 404, { error: 'unknown emulator control path' });
  return 404;
}
