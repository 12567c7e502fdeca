// The Salesforce org the bench scenarios provision into: one connected app and one
// integration user, the same on the emulator and in each connector instance's config.
import { startSalesforceEmulator, type SalesforceEmulator } from '@provisio/emulators';

const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret' };
const SIGN_IN = { password: 'bench-password', securityToken: 'tok' };

export function startBenchSalesforce(options: {
  latencyMs: number;
  dailyApiLimit: number;
  username?: string;
}): Promise<SalesforceEmulator> {
  return startSalesforceEmulator({
    latencyMs: options.latencyMs,
    dailyApiLimit: options.dailyApiLimit,
    clients: [CLIENT],
    credentials: [{ username: options.username ?? 'admin@bench.example', ...SIGN_IN }],
  });
}

/** A salesforce instance's `config` that signs in at `url` (the emulator or a proxy before it) as the bench's user. */
export function benchSalesforceConfig(url: string, username = 'admin@bench.example'): Record<string, unknown> {
  return {
    apiVersion: 'v59.0',
    tokenEndpoint: `${url}/services/oauth2/token`,
    auth: { flow: 'password', ...CLIENT, username, ...SIGN_IN },
  };
}
