// Starts the three emulated targets on loopback, with the identities the demo manifest uses.
import {
  startGoogleEmulator,
  startSalesforceEmulator,
  startScimEmulator,
  type GoogleEmulator,
  type SalesforceEmulator,
  type ScimEmulator,
} from '@provisio/emulators';
import type { DemoCredentials } from './demo-credentials.ts';

export const DEMO_DOMAIN = 'example.com';
const SALESFORCE_CLIENT_ID = 'provisio-demo';
const SALESFORCE_USERNAME = 'integration@demo.example.com';
const GOOGLE_SERVICE_ACCOUNT = 'provisio-demo@demo-project.iam.gserviceaccount.com';
const GOOGLE_ADMIN = `admin@${DEMO_DOMAIN}`;

/** Fixed ports tried first so the printed commands stay the same from run to run. */
const DEFAULT_PORTS = { scim: 4001, salesforce: 4002, google: 4003 } as const;

export interface DemoEmulators {
  scim: ScimEmulator;
  salesforce: SalesforceEmulator;
  google: GoogleEmulator;
  close(): Promise<void>;
}

/** Listens on `port`, or on any free port when that one is taken (or `port` is 0). */
async function onPreferredPort<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  if (port === 0) return start(0);
  try {
    return await start(port);
  } catch {
    return start(0);
  }
}

/** `fixedPorts: false` (PROVISIO_DEMO_EMULATOR_PORTS=0) always picks free ports. */
export async function startDemoEmulators(credentials: DemoCredentials, fixedPorts: boolean): Promise<DemoEmulators> {
  const port = (name: keyof typeof DEFAULT_PORTS): number => (fixedPorts ? DEFAULT_PORTS[name] : 0);
  const started: { close(): Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(started.map((emulator) => emulator.close()));
  };
  try {
    const scim = await onPreferredPort(port('scim'), (p) =>
      startScimEmulator({ port: p, auth: { type: 'bearer', token: credentials.scimAppToken } }),
    );
    started.push(scim);
    const salesforce = await onPreferredPort(port('salesforce'), (p) =>
      startSalesforceEmulator({
        port: p,
        clients: [{ clientId: SALESFORCE_CLIENT_ID, clientSecret: credentials.salesforceClientSecret }],
        credentials: [
          { username: SALESFORCE_USERNAME, password: credentials.salesforcePassword, securityToken: credentials.salesforceSecurityToken },
        ],
      }),
    );
    started.push(salesforce);
    const google = await onPreferredPort(port('google'), (p) =>
      startGoogleEmulator({
        port: p,
        domains: [DEMO_DOMAIN],
        admins: [GOOGLE_ADMIN],
        serviceAccounts: [{ clientEmail: GOOGLE_SERVICE_ACCOUNT, publicKeyPem: credentials.googlePublicKeyPem }],
      }),
    );
    started.push(google);
    return { scim, salesforce, google, close };
  } catch (error) {
    await close();
    throw error;
  }
}
