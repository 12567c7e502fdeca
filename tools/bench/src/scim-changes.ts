import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Open-loop SCIM change stream: `rate` changes per second for `seconds`, each
 * sent on its schedule whether or not earlier ones were answered (at most
 * `maxInFlight` outstanding; beyond that a change is counted as skipped).
 * Every change carries a unique marker the target proxies look for:
 * even changes create a user (marker in userName and familyName), odd ones
 * PATCH the familyName of a random user created earlier.
 */
export interface ChangeRecord {
  marker: string;
  kind: 'create' | 'patch';
  /** Index of the user it changes. */
  user: number;
  ok: boolean;
  /** performance.now() when the SCIM response was complete. */
  respondedAt: number;
  responseMs: number;
}

export interface ChangeRun {
  changes: ChangeRecord[];
  /** Per user: markers in the order the server accepted them. */
  markersOf: Map<number, string[]>;
  /** Per user: userName. */
  userNames: Map<number, string>;
  skipped: number;
  seconds: number;
  firstError?: string;
}

export const MARKER = /qq[cu]\d+qq/g;

export interface ChangeSpec {
  url: string;
  token: string;
  rate: number;
  seconds: number;
  domain: string;
  entitlement?: string;
  maxInFlight?: number;
}

export async function runChanges(spec: ChangeSpec): Promise<ChangeRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(spec.url);
  const total = Math.round(spec.rate * spec.seconds);
  const maxInFlight = spec.maxInFlight ?? 256;
  const run: ChangeRun = { changes: [], markersOf: new Map(), userNames: new Map(), skipped: 0, seconds: 0 };
  const ids = new Map<number, string>();
  const created: number[] = [];
  let nextUser = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const send = (method: string, path: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> =>
    new Promise((resolve) => {
      const text = JSON.stringify(body);
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          timeout: 30000,
          headers: {
            authorization: `Bearer ${spec.token}`,
            'content-type': 'application/scim+json',
            'content-length': Buffer.byteLength(text),
          },
        },
        (res) => {
          let out = '';
          res.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          res.on('end', () => {
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(out) as Record<string, unknown>;
            } catch {
              json = { detail: out.slice(0, 200) };
            }
            resolve({ status: res.statusCode ?? 500, json });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
      req.on('error', (error) => resolve({ status: 0, json: { detail: error.message } }));
      req.end(text);
    });

  const change = async (i: number): Promise<void> => {
    const started = performance.now();
    const isCreate = i % 2 === 0 || created.length === 0;
    const marker = `qq${isCreate ? 'c' : 'u'}${i}qq`;
    let user: number;
    let result: { status: number; json: Record<string, unknown> };
    if (isCreate) {
      user = nextUser++;
      const userName = `${marker}@${spec.domain}`;
      run.userNames.set(user, userName);
      result = await send('POST', `${base.pathname.replace(/\/$/, '')}/Users`, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        name: { givenName: 'Steady', familyName: `F${marker}` },
        emails: [{ value: userName, type: 'work', primary: true }],
        ...(spec.entitlement ? { entitlements: [{ value: spec.entitlement }] } : {}),
      });
      if (result.status === 201 && typeof result.json['id'] === 'string') {
        ids.set(user, result.json['id']);
        created.push(user);
      }
    } else {
      user = created[Math.floor(Math.random() * created.length)];
      result = await send('PATCH', `${base.pathname.replace(/\/$/, '')}/Users/${ids.get(user)}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'name.familyName', value: `F${marker}` }],
      });
    }
    const respondedAt = performance.now();
    const ok = result.status >= 200 && result.status < 300;
    if (ok) run.markersOf.set(user, [...(run.markersOf.get(user) ?? []), marker]);
    else run.firstError ??= `${isCreate ? 'POST' : 'PATCH'} answered ${result.status}: ${JSON.stringify(result.json).slice(0, 300)}`;
    run.changes.push({ marker, kind: isCreate ? 'create' : 'patch', user, ok, respondedAt, responseMs: respondedAt - started });
  };

  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / spec.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight >= maxInFlight) {
      run.skipped += 1;
      continue;
    }
    inFlight += 1;
    const p: Promise<void> = change(i).finally(() => {
      inFlight -= 1;
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
  run.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return run;
}
