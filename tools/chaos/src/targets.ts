// The two emulated targets of issue 22, in this process: the SCIM 2.0 service (about 20 ms a call)
// and the Salesforce org, wired as examples/demo/provisio.demo.yaml wires them (plus Title).
import { randomBytes } from 'node:crypto';
import { startSalesforceEmulator, startScimEmulator, type SalesforceEmulator, type ScimEmulator } from '@provisio/emulators';
import type { Random } from './random.js';

/** One remote account as the checker compares it. */
export interface RemoteAccount {
  title: string | undefined;
  active: boolean;
}

/** What one target holds and what it was asked, by lower-cased userName. */
export interface TargetView {
  /** The connector instance id in the manifest. */
  id: string;
  accounts: Map<string, RemoteAccount[]>;
  /** Create requests that reached the target's state (injected faults excluded). */
  createAttempts: Map<string, number>;
  /** When each create of a userName came and what it got, where the target can tell. */
  createTimeline?: (userName: string) => string[];
  /** Every write of a userName's account the target received (creates and updates), where it can tell. */
  writeTimeline?: (userName: string) => string[];
  /**
   * The requests the target received for these jobs (their X-Provisio-Job header names one of them),
   * reads included, as "time METHOD path status from <job.claim…> <worker>", where the target keeps them.
   */
  callsOf?: (jobIds: readonly string[]) => string[];
  /** How the target deprovisions: the account disappears, or stays with active false. */
  deprovision: 'delete' | 'deactivate';
}

export interface ChaosTargets {
  scim: ScimEmulator;
  salesforce: SalesforceEmulator;
  /** The `connectors:` section of the manifest. */
  connectorsYaml: string;
  views(): TargetView[];
  /** One burst of 503s or 429s with Retry-After on one target, as flaky remote services answer. */
  injectFault(random: Random): string;
  close(): Promise<void>;
}

const SALESFORCE_USER = 'integration@chaos.example.com';

export interface ChaosTargetOptions {
  latencyMs?: number;
  /** `batch.maxOperations` of both connector instances (default: each type's maximum, as the demo runs). */
  batchMaxOperations?: number;
}

export async function startChaosTargets(options: ChaosTargetOptions = {}): Promise<ChaosTargets> {
  const secret = () => randomBytes(12).toString('hex');
  const scimToken = secret();
  const sf = { clientSecret: secret(), password: secret(), securityToken: secret() };
  const scim = await startScimEmulator({ auth: { type: 'bearer', token: scimToken }, latencyMs: options.latencyMs ?? 20 });
  const salesforce = await startSalesforceEmulator({
    clients: [{ clientId: 'provisio-chaos', clientSecret: sf.clientSecret }],
    credentials: [{ username: SALESFORCE_USER, password: sf.password, securityToken: sf.securityToken }],
  });
  const seeded = new Set(salesforce.state.users().map((u) => String(u['Username']).toLowerCase()));
  const batch = options.batchMaxOperations === undefined ? '' : `\n    batch: { maxOperations: ${options.batchMaxOperations} }`;
  // The load deletes 15 % of its users on purpose: the accidental-deletion guard (tested on its own) would hold some.
  const connectorsYaml = `connectors:
  - id: scim2
    type: scim2
    concurrency: 8${batch}
    retry: { maxAttempts: 30, baseDelayMs: 200, maxDelayMs: 3000 }
    deprovisionGuard: false
    config: { baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${scimToken}" } }
  - id: salesforce
    type: salesforce
    concurrency: 4${batch}
    retry: { maxAttempts: 30, baseDelayMs: 200, maxDelayMs: 3000 }
    deprovisionGuard: false
    config:
      apiVersion: v59.0
      tokenEndpoint: "${salesforce.url}/services/oauth2/token"
      auth: { flow: password, clientId: provisio-chaos, clientSecret: "${sf.clientSecret}", username: ${SALESFORCE_USER}, password: "${sf.password}", securityToken: "${sf.securityToken}" }
    mapping:
      Username: http://wso2.org/claims/emailaddress
      Email: http://wso2.org/claims/emailaddress
      FirstName: http://wso2.org/claims/givenname
      LastName: { from: http://wso2.org/claims/lastname, default: Unknown }
      Title: title
      Alias: { from: userName, transform: truncate(8) }
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LocaleSidKey: { default: en_US }
      TimeZoneSidKey: { default: America/Los_Angeles }
      ProfileId: { default: "${salesforce.state.profileId('Standard User')}" }
`;
  const scimView = (): TargetView => {
    const accounts = new Map<string, RemoteAccount[]>();
    for (const user of scim.state.users()) {
      const key = String(user['userName']).toLowerCase();
      accounts.set(key, [...(accounts.get(key) ?? []), { title: optionalString(user['title']), active: user['active'] !== false }]);
    }
    const createAttempts = new Map<string, number>();
    for (const [name, statuses] of Object.entries(scim.state.userCreateStatuses())) {
      // 201 created it, 409 found it there already: both are a create the service received.
      createAttempts.set(name, statuses.filter((s) => s === 201 || s === 409).length);
    }
    return {
      id: 'scim2',
      accounts,
      createAttempts,
      createTimeline: (name) => scim.state.userCreateTimeline(name),
      writeTimeline: (name) => scim.state.userWriteTimeline(name),
      callsOf: (jobIds) =>
        scim.state
          .requests()
          .filter((r) => namesAnyJob(r.origin, jobIds))
          .map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status} from ${r.origin}`),
      deprovision: 'delete',
    };
  };
  const salesforceView = (): TargetView => {
    const accounts = new Map<string, RemoteAccount[]>();
    for (const user of salesforce.state.users()) {
      const key = String(user['Username']).toLowerCase();
      if (seeded.has(key)) continue;
      accounts.set(key, [...(accounts.get(key) ?? []), { title: optionalString(user['Title']), active: user['IsActive'] !== false }]);
    }
    const createAttempts = new Map(Object.entries(salesforce.state.userInsertAttempts()).filter(([name]) => !seeded.has(name)));
    return {
      id: 'salesforce',
      accounts,
      createAttempts,
      writeTimeline: (name) => salesforce.state.userWriteTimeline(name),
      callsOf: (jobIds) =>
        salesforce.state
          .restCalls()
          .filter((c) => namesAnyJob(c.origin, jobIds))
          .map(
            (c) => `${c.at.slice(11, 23)} ${c.method} ${c.path} ${c.status}${c.soql ? ` [${c.soql.slice(0, 80)}…]` : ''} from ${c.origin}`,
          ),
      deprovision: 'deactivate',
    };
  };
  return {
    scim,
    salesforce,
    connectorsYaml,
    views: () => [scimView(), salesforceView()],
    injectFault: (random) => {
      const count = random.between(3, 12);
      const retryAfterSec = random.between(1, 2);
      switch (random.between(0, 3)) {
        case 0:
          scim.faults.failNext(count, 503, { retryAfterSec });
          return `scim2: ${count} × 503`;
        case 1:
          scim.faults.rateLimitNext(count, retryAfterSec);
          return `scim2: ${count} × 429 Retry-After ${retryAfterSec}`;
        case 2:
          salesforce.faults.failNext(count, 503, { retryAfterSec });
          return `salesforce: ${count} × 503 Retry-After ${retryAfterSec}`;
        default:
          salesforce.faults.rateLimitNext(count, retryAfterSec);
          return `salesforce: ${count} × 429 Retry-After ${retryAfterSec}`;
      }
    },
    close: async () => {
      await Promise.all([scim.close(), salesforce.close()]);
    },
  };
}

/** Whether an origin ("<job.claim>,<job.claim>… <worker>") names one of these jobs. */
function namesAnyJob(origin: string | undefined, jobIds: readonly string[]): boolean {
  if (!origin) return false;
  const named = new Set(
    origin
      .split(' ')[0]
      .split(',')
      .map((entry) => entry.split('.')[0]),
  );
  return jobIds.some((id) => named.has(id));
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
