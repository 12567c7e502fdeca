// The JSON body of POST /__emulator/faults, the same for every emulator: the common verbs
// (fault-schedule.ts) plus the few settings only one service has. Unknown keys and wrong
// types are refused with the exact key, never ignored.
import type { AccountRefusal, FaultVerbs, InjectedFailure } from './fault-schedule.js';

export interface FaultCommand {
  reset?: boolean;
  latencyMs?: number;
  failNext?: { count: number } & Partial<InjectedFailure>;
  failFor?: { ms: number } & Partial<InjectedFailure>;
  rateLimitNext?: { count: number; retryAfterSec?: number };
  dropNextResponses?: number;
  refuseAccount?: { name: string } & AccountRefusal;
  clearRefusals?: boolean;
  expireTokens?: boolean;
}

/** A service-only key: checks the value, returning an error message (without the key) when it is wrong. */
export type ExtraFaultKey = (value: unknown) => string | undefined;

export type ParsedFaultCommand = { command: FaultCommand; extras: Record<string, unknown> } | { error: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Checks the fields of an object-valued verb; `required` must be counts, the rest as listed. */
function checkFields(
  value: unknown,
  path: string,
  fields: Record<string, 'count' | 'status' | 'string' | 'refusalStatus'>,
  required: string[],
) {
  if (!isObject(value)) return `${path} must be an object with ${Object.keys(fields).join(', ')}`;
  for (const key of Object.keys(value))
    if (!(key in fields)) return `${path}.${key} is not a known field (known: ${Object.keys(fields).join(', ')})`;
  for (const key of required) if (value[key] === undefined) return `${path}.${key} is required`;
  for (const [key, kind] of Object.entries(fields)) {
    const field = value[key];
    if (field === undefined) continue;
    const ok =
      kind === 'count'
        ? isCount(field)
        : kind === 'status'
          ? isCount(field) && field >= 400 && field <= 599
          : kind === 'refusalStatus'
            ? field === 400 || field === 403
            : typeof field === 'string';
    const expected = {
      count: 'a whole number >= 0',
      status: 'an HTTP error status (400-599)',
      refusalStatus: '400 or 403',
      string: 'a string',
    }[kind];
    if (!ok) return `${path}.${key} must be ${expected}`;
  }
  return undefined;
}

const FAILURE_FIELDS = { status: 'status', retryAfterSec: 'count', code: 'string', message: 'string' } as const;

const COMMON_KEYS: Partial<Record<string, (value: unknown, path: string) => string | undefined>> = {
  reset: (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be true or false`),
  expireTokens: (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be true or false`),
  clearRefusals: (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be true or false`),
  latencyMs: (v, p) => (isCount(v) ? undefined : `${p} must be a whole number of milliseconds >= 0`),
  dropNextResponses: (v, p) => (isCount(v) ? undefined : `${p} must be a whole number >= 0`),
  failNext: (v, p) => checkFields(v, p, { count: 'count', ...FAILURE_FIELDS }, ['count']),
  failFor: (v, p) => checkFields(v, p, { ms: 'count', ...FAILURE_FIELDS }, ['ms']),
  rateLimitNext: (v, p) => checkFields(v, p, { count: 'count', retryAfterSec: 'count' }, ['count']),
  refuseAccount: (v, p) =>
    checkFields(v, p, { name: 'string', status: 'refusalStatus', message: 'string', code: 'string' }, ['name', 'status']),
};

/** Parses a fault body (text or already-parsed JSON). An empty body is an empty command. */
export function parseFaultCommand(body: unknown, extraKeys: Partial<Record<string, ExtraFaultKey>> = {}): ParsedFaultCommand {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return { error: 'the body is not JSON' };
    }
  }
  if (!isObject(value)) return { error: 'the body must be a JSON object of fault settings' };
  const known = [...Object.keys(COMMON_KEYS), ...Object.keys(extraKeys)];
  const command: Json = {};
  const extras: Json = {};
  for (const [key, field] of Object.entries(value)) {
    const common = COMMON_KEYS[key];
    const extra = extraKeys[key];
    if (!common && !extra) return { error: `${key} is not a fault setting of this emulator (known: ${known.join(', ')})` };
    const problem = common ? common(field, key) : extra?.(field);
    if (problem) return { error: common ? problem : `${key} ${problem}` };
    (common ? command : extras)[key] = field;
  }
  return { command: command as FaultCommand, extras };
}

/** Applies the common verbs of a parsed command, `reset` first. */
export function applyFaultCommand(faults: FaultVerbs, command: FaultCommand): void {
  if (command.reset) faults.reset();
  if (command.latencyMs !== undefined) faults.setLatency(command.latencyMs);
  if (command.failNext) {
    const { count, status, ...details } = command.failNext;
    faults.failNext(count, status, details);
  }
  if (command.failFor) {
    const { ms, status, ...details } = command.failFor;
    faults.failFor(ms, status, details);
  }
  if (command.rateLimitNext) faults.rateLimitNext(command.rateLimitNext.count, command.rateLimitNext.retryAfterSec);
  if (command.dropNextResponses !== undefined) faults.dropNextResponses(command.dropNextResponses);
  if (command.clearRefusals) faults.clearRefusals();
  if (command.refuseAccount) {
    const { name, ...refusal } = command.refuseAccount;
    faults.refuseAccount(name, refusal);
  }
  if (command.expireTokens) faults.expireTokens();
}

/** The message of a 400 for a refused fault body: what was wrong and where the vocabulary is described. */
export function faultCommandProblem(error: string): { error: string; see: string } {
  return { error, see: 'the fault vocabulary: @provisio/emulators README, section Faults' };
}
