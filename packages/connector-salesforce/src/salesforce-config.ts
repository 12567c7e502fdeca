import { z } from '@provisio/core';

export const DEFAULT_TOKEN_ENDPOINT = 'https://login.salesforce.com/services/oauth2/token';
/** Salesforce's User.Alias is at most 8 characters. */
export const ALIAS_MAX_LENGTH = 8;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https everywhere; plain http only for loopback (emulators, local proxies). */
function isAcceptableUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const secureUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine(isAcceptableUrl, { message: `${what} must be an https:// URL (http:// is allowed only for 127.0.0.1, localhost or ::1)` })
    .transform((text) => text.replace(/\/+$/, ''));

/** `v32.0` or `32.0` (WSO2 writes the former); stored as `32.0`. */
const apiVersionSchema = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .refine((text) => /^v?\d{2,3}\.\d$/.test(text), { message: 'API version must look like v32.0 or 32.0' })
  .transform((text) => text.replace(/^v/, ''));

const nonEmpty = z.string().min(1);

const passwordFlow = z.strictObject({
  flow: z.literal('password'),
  clientId: nonEmpty.describe('Client ID: the consumer key of the connected app, e.g. 3MVG8123wefw763na2452683KJNsvrgKBwe4gyksKJ22f3g45.'),
  clientSecret: nonEmpty.describe('Client Secret: the consumer secret of the connected app.'),
  username: nonEmpty.describe('Username: the Salesforce integration user, e.g. samuel@wso2.com.'),
  password: nonEmpty.describe(
    'Password of the integration user. Give the security token separately (securityToken), or appended here as <password><security_token> as WSO2 does.',
  ),
  securityToken: z
    .string()
    .optional()
    .describe('Security token of the integration user (My Settings > Reset My Security Token); appended to the password when logging in.'),
});

const clientCredentialsFlow = z.strictObject({
  flow: z.literal('clientCredentials'),
  clientId: nonEmpty.describe('Client ID: the consumer key of the connected app (with "Enable Client Credentials Flow").'),
  clientSecret: nonEmpty.describe('Client Secret: the consumer secret of the connected app.'),
  executionUser: z
    .string()
    .optional()
    .describe(
      'For information only: the "Run As" (execution) user chosen in the connected app policies; it needs the API Only User permission. Salesforce picks it, not this field.',
    ),
});

const jwtBearerFlow = z.strictObject({
  flow: z.literal('jwtBearer'),
  clientId: nonEmpty.describe('Client ID: the consumer key of the connected app whose certificate matches privateKey.'),
  username: nonEmpty.describe('Username the JWT is issued for (sub); the user must be pre-authorized for the connected app.'),
  privateKey: z
    .string()
    .refine((pem) => /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.test(pem), {
      message: 'privateKey must be a PEM private key (-----BEGIN PRIVATE KEY-----)',
    })
    .describe('PEM RSA private key whose certificate is uploaded to the connected app; signs the RS256 assertion. Prefer ${file:path}.'),
  audience: z
    .string()
    .optional()
    .describe(
      'JWT aud; default the login URL of tokenEndpoint (https://login.salesforce.com, or https://test.salesforce.com for sandboxes).',
    ),
});

export const authSchema = z
  .discriminatedUnion('flow', [passwordFlow, clientCredentialsFlow, jwtBearerFlow])
  .describe('How Provisio gets an access token: password (username-password flow), clientCredentials, or jwtBearer.');

const groupsSchema = z
  .strictObject({
    mode: z
      .enum(['publicGroup', 'permissionSet', 'both'])
      .default('publicGroup')
      .describe(
        'publicGroup: each Provisio group is a public group (Group, Type Regular) with GroupMember rows. permissionSet: each group is an existing permission set, membership = PermissionSetAssignment. both: a public group for every group, plus the permission set listed in permissionSets for that group.',
      ),
    permissionSets: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe(
        'Provisio group displayName -> permission set API name (PermissionSet.Name). In permissionSet mode a group not listed uses the permission set whose Name or Label equals its displayName.',
      ),
  })
  .refine((g) => g.mode !== 'publicGroup' || Object.keys(g.permissionSets).length === 0, {
    message: 'permissionSets is used only with mode "permissionSet" or "both"',
    path: ['permissionSets'],
  });

export const salesforceConfigSchema = z.strictObject({
  apiVersion: apiVersionSchema.default('59.0').describe('API version: the Salesforce REST API version, e.g. v32.0 (or 32.0).'),
  domainName: secureUrl('domainName')
    .optional()
    .describe(
      'Domain Name: the My Domain URL, e.g. https://identityprovisioning-dev-ed.my.salesforce.com. Used only when the token response carries no instance_url (Salesforce always sends one, and it wins).',
    ),
  tokenEndpoint: secureUrl('tokenEndpoint')
    .default(DEFAULT_TOKEN_ENDPOINT)
    .describe(
      'OAuth2 Token Endpoint, e.g. https://login.salesforce.com/services/oauth2/token (https://test.salesforce.com/... for sandboxes).',
    ),
  auth: authSchema,
  deleteMode: z
    .enum(['deactivate', 'deactivateAndFreeUsername'])
    .default('deactivate')
    .describe(
      'Salesforce never deletes users. deactivate: IsActive=false. deactivateAndFreeUsername: also rename Username to <username>.deactivated.<unix seconds> so the name can be used again (usernames are unique across all Salesforce orgs).',
    ),
  useCollections: z
    .boolean()
    .default(true)
    .describe('Use sObject Collections (/composite/sobjects, up to 200 records per call) for batches and memberships.'),
  aliasOverflow: z
    .enum(['truncate', 'reject'])
    .default('truncate')
    .describe(
      `Alias is at most ${ALIAS_MAX_LENGTH} characters in Salesforce. truncate (default): cut it to ${ALIAS_MAX_LENGTH}; reject: fail the operation permanently.`,
    ),
  queryBatchSize: z
    .number()
    .int()
    .min(200)
    .max(2000)
    .default(2000)
    .describe(
      'Records per query batch when reading the org (Sforce-Query-Options batchSize; Salesforce takes 200 to 2,000 and may send fewer).',
    ),
  groups: groupsSchema.default({ mode: 'publicGroup', permissionSets: {} }).describe('How Provisio groups map to Salesforce.'),
});

export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;
export type SalesforceConfigInput = z.input<typeof salesforceConfigSchema>;
export type SalesforceAuth = SalesforceConfig['auth'];

export const SALESFORCE_SECRET_FIELDS = ['auth.clientSecret', 'auth.password', 'auth.securityToken', 'auth.privateKey'] as const;

/** Every secret value of a config, to scrub them from anything we throw or log. */
export function secretValuesOf(auth: SalesforceAuth): string[] {
  const values: Array<string | undefined> = [];
  if (auth.flow === 'password') values.push(auth.clientSecret, auth.password, auth.securityToken);
  if (auth.flow === 'clientCredentials') values.push(auth.clientSecret);
  if (auth.flow === 'jwtBearer') values.push(auth.privateKey);
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}
