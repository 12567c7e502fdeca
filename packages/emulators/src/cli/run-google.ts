// provisio-emulator google: one customer (example.com), its super admin to impersonate, and a
// service account whose key file is written to a private temporary directory (removed on exit).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGoogleEmulator } from '../google/google-emulator.js';
import { generateGoogleServiceAccountKey, googleServiceAccountKeyFile } from '../google/google-service-account-key.js';
import type { JsonObject } from '../scim/scim-json.js';
import type { CliArgs } from './cli-args.js';
import type { SeedFile } from './seed-file.js';
import { generatedSecret, seedFailure, type StartedEmulator } from './started-emulator.js';

const GOOGLE_CLI_DOMAIN = 'example.com';
const GOOGLE_CLI_ADMIN = `admin@${GOOGLE_CLI_DOMAIN}`;
const GOOGLE_CLI_SERVICE_ACCOUNT = 'provisio-emulator@emulator-project.iam.gserviceaccount.com';

type GoogleEmulator = Awaited<ReturnType<typeof startGoogleEmulator>>;

function seedDirectory(emulator: GoogleEmulator, seed: SeedFile, file: string | undefined): void {
  seed.users.forEach((user, index) => {
    try {
      // users.insert needs a password; seeded accounts are never signed in to, so any will do.
      emulator.state.seedUser({ password: generatedSecret(), ...user });
    } catch (error) {
      throw seedFailure(file, `users[${index}]`, error);
    }
  });
  seed.groups.forEach(({ members, ...group }, index) => {
    try {
      const created = emulator.state.seedGroup(group);
      for (const member of Array.isArray(members) ? members : []) {
        emulator.state.seedMember(String(created['id']), typeof member === 'string' ? { email: member } : (member as JsonObject));
      }
    } catch (error) {
      throw seedFailure(file, `groups[${index}]`, error);
    }
  });
}

export async function runGoogle(args: CliArgs, seed: SeedFile): Promise<StartedEmulator> {
  const key = generateGoogleServiceAccountKey();
  const emulator = await startGoogleEmulator({
    port: args.port,
    host: args.host,
    latencyMs: args.latencyMs,
    domains: [GOOGLE_CLI_DOMAIN],
    admins: [GOOGLE_CLI_ADMIN],
    serviceAccounts: [{ clientEmail: GOOGLE_CLI_SERVICE_ACCOUNT, publicKeyPem: key.publicKeyPem }],
  });
  let keyDirectory: string | undefined;
  try {
    seedDirectory(emulator, seed, args.seedFile);
    keyDirectory = mkdtempSync(join(tmpdir(), 'provisio-emulator-google-'));
    const keyFile = join(keyDirectory, 'service-account.json');
    writeFileSync(
      keyFile,
      JSON.stringify(googleServiceAccountKeyFile(GOOGLE_CLI_SERVICE_ACCOUNT, key.privateKeyPem, emulator.tokenUrl), null, 2),
      { mode: 0o600 },
    );
    const { url } = emulator;
    const directory = keyDirectory;
    return {
      title: 'Google Workspace Directory emulator',
      url,
      details: [
        ['API root URL', `${url}/`],
        ['Token URL', emulator.tokenUrl],
        ['Key file', keyFile],
        ['Service account', GOOGLE_CLI_SERVICE_ACCOUNT],
        ['Impersonate', GOOGLE_CLI_ADMIN],
        ['Customer', emulator.customerId],
        ['Domain', GOOGLE_CLI_DOMAIN],
        ['Token redirect', "google-auth-library posts to oauth2.googleapis.com: use googleTokenRedirect(url) from '@provisio/emulators'"],
        ['State', `curl -s ${url}/__emulator/state`],
        [
          'Faults',
          `curl -s -X POST ${url}/__emulator/faults -H 'Content-Type: application/json' -d '{"failNext":{"count":2,"status":503}}'`,
        ],
      ],
      json: {
        emulator: 'google',
        url,
        rootUrl: `${url}/`,
        tokenUrl: emulator.tokenUrl,
        keyFile,
        serviceAccount: GOOGLE_CLI_SERVICE_ACCOUNT,
        adminEmail: GOOGLE_CLI_ADMIN,
        customerId: emulator.customerId,
        domain: GOOGLE_CLI_DOMAIN,
      },
      close: async () => {
        await emulator.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.close();
    if (keyDirectory) rmSync(keyDirectory, { recursive: true, force: true });
    throw error;
  }
}
