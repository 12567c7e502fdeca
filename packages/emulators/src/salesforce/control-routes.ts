// /__emulator/state and /__emulator/faults: inspection and fault injection
// over HTTP, for the CLI and for humans. Not part of Salesforce's API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultCommand, SalesforceFaults } from './salesforce-faults.js';
import { readBody, sendJson } from './http-io.js';
import { isPlainObject } from './record-input.js';
import type { SalesforceStateView } from './state-view.js';

function asFaultCommand(body: unknown): FaultCommand | undefined {
  if (!isPlainObject(body)) return undefined;
  const numberOrUndefined = (key: string): boolean => body[key] === undefined || typeof body[key] === 'number';
  const boolOrUndefined = (key: string): boolean => body[key] === undefined || typeof body[key] === 'boolean';
  const failNext = body['failNext'];
  const failNextOk =
    failNext === undefined ||
    (isPlainObject(failNext) &&
      typeof failNext['count'] === 'number' &&
      typeof failNext['status'] === 'number' &&
      typeof failNext['errorCode'] === 'string' &&
      (failNext['retryAfterSec'] === undefined || typeof failNext['retryAfterSec'] === 'number'));
  const refuse = body['refuseUsername'];
  const refuseOk =
    refuse === undefined ||
    (isPlainObject(refuse) &&
      typeof refuse['username'] === 'string' &&
      (refuse['status'] === 400 || refuse['status'] === 403) &&
      typeof refuse['message'] === 'string' &&
      (refuse['errorCode'] === undefined || typeof refuse['errorCode'] === 'string'));
  const valid =
    ['latencyMs', 'serviceUnavailable', 'serviceUnavailableForMs', 'requestLimitExceededAfter', 'dropNextResponses'].every(
      numberOrUndefined,
    ) &&
    ['reset', 'expireTokens'].every(boolOrUndefined) &&
    failNextOk &&
    refuseOk;
  return valid ? (body as FaultCommand) : undefined;
}

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
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)) || '{}');
    } catch {
      body = undefined;
    }
    const command = asFaultCommand(body);
    if (!command) {
      sendJson(res, 400, {
        error:
          'expected {reset?, latencyMs?, serviceUnavailable?, serviceUnavailableForMs?, failNext?, requestLimitExceededAfter?, expireTokens?, dropNextResponses?, refuseUsername?}',
      });
      return 400;
    }
    sendJson(res, 200, faults.apply(command));
    return 200;
  }
  sendJson(res, 404, { error: 'unknown emulator control path' });
  return 404;
}
