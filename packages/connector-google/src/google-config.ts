import { z } from '@provisio/core';

const AUTH = 'https://www.googleapis.com/auth/';

/** What the connector needs delegated in the Admin console (Security → API controls → Domain-wide delegation). */
export const DEFAULT_SCOPES: readonly string[] = [
  `${AUTH}admin.directory.user`,
  `${AUTH}admin.directory.group`,
  `${AUTH}admin.directory.group.member`,
  `${AUTH}admin.directory.customer.readonly`,
];

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_ROOT_URL = 'https://admin.googleapis.com/';

const privateKeySchema = z
  .discriminatedUnion('format', [
    z.strictObject({
      format: z.literal('json'),
      json: z
        .string()
        .min(1)
        .describe('The service account JSON key file exactly as Google issues it (contains client_email and private_key).'),
    }),
    z.strictObject({
      format: z.literal('pem'),
      pem: z.string().min(1).describe('The RSA private key as PEM ("-----BEGIN PRIVATE KEY-----").'),
    }),
    z.strictObject({
      format: z.literal('pkcs12'),
      pkcs12Base64: z.string().min(1).describe('The PKCS#12 (.p12) key generated at service account creation, base64-encoded.'),
      password: z.string().default('notasecret').describe('Password of the .p12 file; Google uses "notasecret".'),
    }),
  ])
  .describe('Private Key: the service account key (PKCS#12 as in WSO2, or the JSON key Google issues today). Kept in memory only.');

export const googleConfigSchema = z
  .strictObject({
    domain: z
      .string()
      .min(1)
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain name such as mygoogledomain.com')
      .describe('Google Domain: the name of the Google domain used to provision users, e.g. mygoogledomain.com.'),
    serviceAccountEmail: z
      .email()
      .optional()
      .describe(
        'Service Account Email, e.g. d343s86gf@developer.gserviceaccount.com. Optional with a JSON key (its client_email is used).',
      ),
    privateKey: privateKeySchema,
    adminEmail: z
      .email()
      .describe(
        "Administrator's Email: the super administrator the service account acts as (domain-wide delegation subject), e.g. om@mygoogledomain.com.",
      ),
    applicationName: z
      .string()
      .min(1)
      .default('Provisio')
      .describe('Application Name: represents the connector to Google (sent in the User-Agent), e.g. Domain.'),
    customer: z
      .string()
      .min(1)
      .default('my_customer')
      .describe("Customer id for listings and check(); my_customer is the admin's own account."),
    deleteMode: z
      .enum(['suspend', 'delete'])
      .default('suspend')
      .describe('What deprovisioning does: suspend the account (reversible, keeps its data) or delete it.'),
    listScope: z
      .enum(['customer', 'domain'])
      .default('customer')
      .describe('What reading the target lists: customer (every domain of the customer, as `customer`) or domain (only `domain`).'),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(500)
      .describe('Users per users.list page when reading the target (Google allows 1 to 500; groups pages stop at 200).'),
    changePasswordAtNextLogin: z.boolean().default(false).describe('Ask new users to change their password at first sign-in.'),
    orgUnitPath: z
      .string()
      .startsWith('/')
      .optional()
      .describe('Organizational unit for new users (e.g. /Sales) unless the mapping gives orgUnitPath.'),
    scopes: z
      .array(z.url())
      .min(1)
      .default([...DEFAULT_SCOPES])
      .describe('OAuth scopes requested; every one must be authorized for the service account in the Admin console.'),
    tokenUrl: z.url().default(GOOGLE_TOKEN_URL).describe("Google's OAuth token endpoint; change only to reach an emulator or a proxy."),
    rootUrl: z.url().default(GOOGLE_ROOT_URL).describe('Root of the Admin SDK APIs; change only to reach an emulator or a proxy.'),
    timeouts: z
      .strictObject({
        requestMs: z.number().int().min(100).max(600_000).default(30_000).describe('One API or token request.'),
        batchMs: z.number().int().min(100).max(600_000).default(120_000).describe('One batch request (up to 1,000 calls).'),
      })
      .default({ requestMs: 30_000, batchMs: 120_000 }),
  })
  .refine((config) => config.privateKey.format === 'json' || config.serviceAccountEmail !== undefined, {
    message: 'serviceAccountEmail is required unless privateKey is a JSON key (which names its client_email)',
    path: ['serviceAccountEmail'],
  });

export type GoogleConfig = z.output<typeof googleConfigSchema>;
export type GoogleConfigInput = z.input<typeof googleConfigSchema>;
export type GooglePrivateKey = GoogleConfig['privateKey'];

/** Dot paths of the key material, redacted everywhere by core. */
export const GOOGLE_SECRET_FIELDS = ['privateKey.json', 'privateKey.pem', 'privateKey.pkcs12Base64', 'privateKey.password'] as const;
