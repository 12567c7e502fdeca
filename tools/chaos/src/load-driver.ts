// A bounded SCIM load: creates, then PATCHes of title, then DELETEs, N requests in flight, never
// two for one user at once (so "the last acknowledged write" is well defined). A request a dying
// process did not answer is sent again until some process answers it.
import { AcknowledgedHistory, type WriteOp } from './history.js';
import type { Random } from './random.js';

export interface LoadPlan {
  creates: number;
  updates: number;
  deletes: number;
  /** Requests in flight at once. */
  inFlight: number;
}

export interface LoadOptions {
  plan: LoadPlan;
  /** Where SCIM answers now; waits while the front process restarts. */
  url: () => Promise<string>;
  token: string;
  random: Random;
  /** The whole load must end within this (default 10 minutes). */
  timeoutMs?: number;
  /** userName prefix, so two runs on one target never collide. */
  prefix?: string;
  onPhase?: (phase: WriteOp) => void;
}

interface Operation {
  op: WriteOp;
  index: number;
  title?: string;
}

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** One request's budget across resends: a restart takes a few seconds, never this long. */
const REQUEST_BUDGET_MS = 120000;
const MAX_SENDS = 400;

export class RequestRefused extends Error {}

export async function driveLoad(options: LoadOptions): Promise<AcknowledgedHistory> {
  const { plan, random } = options;
  const prefix = options.prefix ?? 'chaos';
  const history = new AcknowledgedHistory();
  const deadline = Date.now() + (options.timeoutMs ?? 600000);
  const userName = (index: number) => `${prefix}-${index}@example.com`;
  const ids = new Map<number, string>();

  const creates: Operation[] = Array.from({ length: plan.creates }, (_, index) => ({ op: 'create', index, title: `title-0-${index}` }));
  // Patches may hit one user several times: newest state must win.
  const updates: Operation[] = Array.from({ length: plan.updates }, (_, k) => {
    const index = random.between(0, plan.creates - 1);
    return { op: 'patch', index, title: `title-${k + 1}-${index}` };
  });
  const deleted = new Set<number>();
  while (deleted.size < Math.min(plan.deletes, plan.creates)) deleted.add(random.between(0, plan.creates - 1));
  const deletes: Operation[] = [...deleted].map((index) => ({ op: 'delete', index }));

  const run = async (operation: Operation): Promise<void> => {
    const name = userName(operation.index);
    if (operation.op === 'create') {
      const body = {
        schemas: [USER_SCHEMA],
        userName: name,
        name: { givenName: 'Chaos', familyName: `User${operation.index}` },
        emails: [{ value: name, type: 'work', primary: true }],
        title: operation.title,
      };
      const answer = await sendUntilAnswered(options, deadline, 'POST', '/Users', body);
      let id = answer.body['id'];
      if (answer.status === 409 && answer.sends > 1)
        id = await lookUpId(options, deadline, name); // stored before the kill
      else if (answer.status !== 201) throw refused(operation, name, answer);
      ids.set(operation.index, String(id));
      history.acknowledge(name, String(id), { op: 'create', title: operation.title, ackedAt: Date.now(), resent: answer.sends > 1 });
      return;
    }
    const id = ids.get(operation.index);
    if (id === undefined) throw new Error(`no id for ${name}: its create was never acknowledged`);
    if (operation.op === 'patch') {
      const body = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: operation.title }] };
      const answer = await sendUntilAnswered(options, deadline, 'PATCH', `/Users/${id}`, body);
      if (answer.status !== 200 && answer.status !== 204) throw refused(operation, name, answer);
      history.acknowledge(name, id, { op: 'patch', title: operation.title, ackedAt: Date.now(), resent: answer.sends > 1 });
      return;
    }
    const answer = await sendUntilAnswered(options, deadline, 'DELETE', `/Users/${id}`);
    // 404 on a resend: the first DELETE was stored before the process died.
    if (answer.status !== 204 && !(answer.status === 404 && answer.sends > 1)) throw refused(operation, name, answer);
    history.acknowledge(name, id, { op: 'delete', ackedAt: Date.now(), resent: answer.sends > 1 });
  };

  for (const [phase, operations] of [
    ['create', creates],
    ['patch', updates],
    ['delete', deletes],
  ] as const) {
    options.onPhase?.(phase);
    await runLanes(operations, plan.inFlight, deadline, run);
  }
  return history;
}

/** `lanes` workers take operations in order, skipping one whose user has a request in flight. */
async function runLanes(
  operations: Operation[],
  lanes: number,
  deadline: number,
  run: (operation: Operation) => Promise<void>,
): Promise<void> {
  const queue = [...operations];
  const busy = new Set<number>();
  const lane = async () => {
    while (queue.length > 0) {
      if (Date.now() > deadline) throw new Error(`the load did not finish in time (${queue.length} operations left)`);
      const at = queue.findIndex((o) => !busy.has(o.index));
      if (at < 0) {
        await sleep(5);
        continue;
      }
      const [operation] = queue.splice(at, 1);
      busy.add(operation.index);
      try {
        await run(operation);
      } finally {
        busy.delete(operation.index);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** How many times the request went out (1 when the first try was answered). */
  sends: number;
}

/** Sends until a process answers with anything but a connection error or a 5xx of a process going down. */
async function sendUntilAnswered(options: LoadOptions, deadline: number, method: string, path: string, body?: unknown): Promise<Answer> {
  const until = Math.min(deadline, Date.now() + REQUEST_BUDGET_MS);
  let lastError = '';
  for (let sends = 1; sends <= MAX_SENDS && Date.now() < until; sends += 1) {
    try {
      const base = await options.url();
      const response = await fetch(`${base}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30000),
      });
      const text = await response.text();
      if (response.status >= 500) {
        lastError = `${response.status} ${text.slice(0, 200)}`;
      } else {
        return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, sends };
      }
    } catch (error) {
      lastError = String((error as Error).cause ?? error);
    }
    await sleep(100 + Math.floor(Math.random() * 200));
  }
  throw new Error(`${method} ${path} got no answer within its budget; last: ${lastError}`);
}

async function lookUpId(options: LoadOptions, deadline: number, userName: string): Promise<string> {
  const answer = await sendUntilAnswered(options, deadline, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  const found = (answer.body['Resources'] as { id: string }[] | undefined)?.[0];
  if (answer.status !== 200 || !found)
    throw new Error(`${userName} answered 409 but cannot be found: ${answer.status} ${JSON.stringify(answer.body)}`);
  return found.id;
}

function refused(operation: Operation, userName: string, answer: Answer): RequestRefused {
  return new RequestRefused(
    `${operation.op} of ${userName} answered ${answer.status} after ${answer.sends} send(s): ${JSON.stringify(answer.body).slice(0, 300)}`,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
