// What the demo prints once everything listens: URLs, tokens, a curl to paste, where to look.
import type { DemoCredentials } from './demo-credentials.ts';
import { DEMO_DOMAIN, type DemoEmulators } from './demo-emulators.ts';

export interface DemoInstructionsInput {
  serverUrl: string;
  credentials: DemoCredentials;
  emulators: DemoEmulators;
  memoryJournal: string;
  manifestPath: string;
}

const SAMPLE_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `ada@${DEMO_DOMAIN}`,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: `ada@${DEMO_DOMAIN}`, type: 'work', primary: true }],
  title: 'Analyst',
};

const origin = (note: string, generated: boolean): string =>
  generated ? `${note} (generated; set it to choose your own)` : `${note} (from the environment)`;

export function demoInstructions(input: DemoInstructionsInput): string {
  const { serverUrl, credentials, emulators } = input;
  const scimBase = `${serverUrl}/scim/v2`;
  const admin = `${serverUrl}/admin/v1`;
  return [
    '',
    'Provisio demo is running: SCIM in, a SCIM app, Salesforce, Google Workspace and memory out (all on loopback).',
    '',
    `  SCIM base URL   ${scimBase}`,
    `  SCIM token      ${credentials.scimToken}   ${origin('PROVISIO_SCIM_TOKEN', credentials.scimTokenGenerated)}`,
    `  Admin API       ${admin}`,
    `  Admin token     ${credentials.adminToken}   ${origin('PROVISIO_ADMIN_TOKEN', credentials.adminTokenGenerated)}`,
    `  Manifest        ${input.manifestPath}`,
    '',
    'Create a user:',
    '',
    `  curl -s -X POST ${scimBase}/Users -H 'Authorization: Bearer ${credentials.scimToken}' -H 'Content-Type: application/scim+json' -d '${JSON.stringify(SAMPLE_USER)}'`,
    '',
    'See her in each target, a second later:',
    '',
    `  SCIM app     curl -s ${emulators.scim.url}/__emulator/state`,
    `  Salesforce   curl -s ${emulators.salesforce.url}/__emulator/state`,
    `  Google       curl -s ${emulators.google.url}/__emulator/state`,
    `  memory       cat ${input.memoryJournal}`,
    `  links        curl -s -H 'Authorization: Bearer ${credentials.adminToken}' ${admin}/users/<id from the answer above>/links`,
    `  jobs         curl -s -H 'Authorization: Bearer ${credentials.adminToken}' ${admin}/jobs`,
    '',
    'Stop with Ctrl+C. Data lives in a temporary folder and is removed on exit.',
    '',
  ].join('\n');
}
