import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { retentionPeriodSchema } from './duration.js';
import { notificationsSchema } from './notifications-schema.js';
import { quarantineSchema } from './quarantine-schema.js';
import { DURATION_PATTERN, durationMs } from './duration.js';
import { DEFAULT_TENANT, TENANT_DOMAIN } from '../model/tenant.js';

/**
 * The manifest (`provisio.config.yaml`) as core understands it. Each connector's
 * `config` is validated separately by its type's own `configSchema`.
 */

const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/i, 'must be 64 hex characters (a SHA-256 digest)');

/**
 * A client certificate's subject a credential is bound to, e.g. "CN=okta-scim,O=Example":
 * the credential is accepted only on a TLS connection presenting a verified
 * certificate with exactly these attributes (order and spaces after commas do not matter).
 */
export const clientSubjectSchema = z
  .string()
  .regex(
    /^\s*[A-Za-z][A-Za-z0-9.]*\s*=[^,=]+(,\s*[A-Za-z][A-Za-z0-9.]*\s*=[^,=]+)*$/,
    'must be a distinguished name like "CN=okta-scim,O=Example"',
  )
  .describe('Accept this credential only with a verified client certificate of this subject (needs server.tls.requestClientCert).');

/** A bearer token given in clear (usually `${env:NAME}`) or as its SHA-256 digest. */
export const bearerCredentialSchema = z
  .strictObject({
    name: z.string().min(1).describe('Who holds this token; shown in the audit trail.'),
    token: z.string().min(16, 'must be at least 16 characters').optional().describe('The token itself; prefer ${env:NAME}.'),
    tokenSha256: sha256Hex.optional().describe('SHA-256 (hex) of the token, so the manifest holds no secret.'),
    readOnly: z.boolean().default(false).describe('Allow only reads (GET, POST /.search).'),
    clientSubject: clientSubjectSchema.optional(),
  })
  .refine((c) => (c.token === undefined) !== (c.tokenSha256 === undefined), {
    message: 'give exactly one of token or tokenSha256',
  });

export const basicCredentialSchema = z
  .strictObject({
    username: z.string().min(1),
    password: z.string().min(8, 'must be at least 8 characters').optional(),
    passwordSha256: sha256Hex.optional(),
    readOnly: z.boolean().default(false),
    clientSubject: clientSubjectSchema.optional(),
  })
  .refine((c) => (c.password === undefined) !== (c.passwordSha256 === undefined), {
    message: 'give exactly one of password or passwordSha256',
  });

/** Signature algorithms a JWT may use: asymmetric only, so a public key can never be abused as an HMAC secret. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const jwksUriSchema = z.url({ protocol: /^https?$/, error: 'must be an https URL, e.g. https://login.example.com/keys' }).refine((uri) => {
  const url = new URL(uri);
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}, 'must be https (plain http only to a loopback host)');

/** A PEM public key (SPKI "BEGIN PUBLIC KEY", or an X.509 certificate); a private key is refused so it never sits in the manifest. */
const publicKeyPemSchema = z
  .string()
  .min(1)
  .superRefine((pem, context) => {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      context.addIssue({ code: 'custom', message: 'is a private key: give the public key only (openssl pkey -pubout)' });
      return;
    }
    try {
      createPublicKey(pem);
    } catch {
      context.addIssue({ code: 'custom', message: 'is not a PEM public key or certificate ("-----BEGIN PUBLIC KEY-----")' });
    }
  });

const jwtAlgorithmSchema = z.string().refine((alg) => (JWT_ALGORITHMS as readonly string[]).includes(alg), {
  error: (issue) =>
    /^HS/i.test(String(issue.input))
      ? `${String(issue.input)} (a shared secret) is not accepted with a public key; use one of ${JWT_ALGORITHMS.join(', ')}`
      : `unknown algorithm ${JSON.stringify(issue.input)}; use one of ${JWT_ALGORITHMS.join(', ')}`,
});

/** Tokens an identity provider signs: checked against its keys (a JWKS URL or one PEM key), issuer, audience and scopes. */
export const jwtCredentialSchema = z
  .strictObject({
    name: z.string().min(1).describe('Who presents these tokens; shown in the audit trail.'),
    issuer: z.string().min(1).describe('The exact `iss` claim, e.g. https://login.microsoftonline.com/<tenant>/v2.0.'),
    audience: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('The `aud` claim expected (one of these), e.g. api://provisio.'),
    jwksUri: jwksUriSchema
      .optional()
      .describe("The provider's key set (JWKS), fetched, cached and refreshed when a token names an unknown key."),
    publicKey: publicKeyPemSchema.optional().describe('One PEM public key instead of jwksUri (usually ${file:path}).'),
    algorithms: z
      .array(jwtAlgorithmSchema)
      .min(1)
      .optional()
      .describe(`Signature algorithms accepted. Default: ${JWT_ALGORITHMS.join(', ')}.`),
    requiredScopes: z
      .array(z.string().min(1))
      .default([])
      .describe('Scopes the token must all carry (`scope`, space-separated, or `scp`); else 403 insufficient_scope.'),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(60).describe('Clock skew allowed for exp and nbf.'),
    jwksRefreshSeconds: z
      .number()
      .min(1)
      .max(3600)
      .default(30)
      .describe('At most one JWKS fetch per this many seconds, so tokens with unknown key ids cannot hammer the provider.'),
    readOnly: z.boolean().default(false).describe('Allow only reads (GET, POST /.search).'),
  })
  .superRefine((jwt, context) => {
    if (jwt.jwksUri === undefined && jwt.publicKey === undefined)
      context.addIssue({ code: 'custom', message: 'give jwksUri or publicKey' });
    else if (jwt.jwksUri !== undefined && jwt.publicKey !== undefined)
      context.addIssue({ code: 'custom', message: 'give either jwksUri or publicKey, not both' });
  });

const failedAttemptsSchema = z.strictObject({
  limit: z.number().int().min(1).max(10000).default(10).describe('Failed authentications allowed per address in the window.'),
  windowSeconds: z.number().int().min(1).max(86400).default(60),
});

export const authSchema = z.strictObject({
  bearer: z.array(bearerCredentialSchema).default([]),
  basic: z.array(basicCredentialSchema).default([]),
  jwt: z.array(jwtCredentialSchema).default([]).describe('Signed tokens (JWT) from an identity provider, e.g. Entra ID or Okta.'),
  failedAttempts: failedAttemptsSchema
    .default({ limit: 10, windowSeconds: 60 })
    .describe('Slow down guessing: an address with this many failed authentications in the window gets 429 until it ends.'),
});

/** HTTPS for `server`: a PEM certificate and key, or a PKCS#12 bundle; optionally client certificates (mutual TLS). */
export const tlsSchema = z
  .strictObject({
    cert: z.string().min(1).optional().describe('PEM certificate chain, server certificate first (usually ${file:path}).'),
    key: z.string().min(1).optional().describe('PEM private key (usually ${file:path}).'),
    pfx: z
      .string()
      .min(1)
      .optional()
      .describe('PKCS#12 bundle (certificate and key) in base64, e.g. ${file:server.p12.b64} made with openssl base64 -A.'),
    passphrase: z.string().min(1).optional().describe('Decrypts key or pfx.'),
    ca: z.string().min(1).optional().describe('PEM certificates of the CAs whose client certificates are accepted.'),
    requestClientCert: z
      .boolean()
      .default(false)
      .describe('Ask clients for a certificate (mutual TLS); credentials with clientSubject then need a verified one.'),
  })
  .superRefine((tls, context) => {
    const pem = tls.cert !== undefined || tls.key !== undefined;
    if (pem && tls.pfx !== undefined) context.addIssue({ code: 'custom', message: 'give either cert and key, or pfx, not both' });
    else if (!pem && tls.pfx === undefined) context.addIssue({ code: 'custom', message: 'give cert and key, or pfx' });
    else if (pem && tls.cert === undefined) context.addIssue({ code: 'custom', path: ['cert'], message: 'Required with key' });
    else if (pem && tls.key === undefined) context.addIssue({ code: 'custom', path: ['key'], message: 'Required with cert' });
    if (tls.requestClientCert && tls.ca === undefined)
      context.addIssue({
        code: 'custom',
        path: ['ca'],
        message: 'Required with requestClientCert: the CA that issues the client certificates',
      });
  });

const publicUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://id.example.com' })
  .refine((url) => !/[?#]/.test(url), 'must not have a query or fragment')
  .transform((url) => url.replace(/\/+$/, ''));

/** A peer whose X-Forwarded-* headers are believed (express "trust proxy"). */
const proxyAddressSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])], {
  error: 'must be an IP address, a CIDR (10.0.0.0/8) or one of loopback, linklocal, uniquelocal',
});

export const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Address to listen on.'),
  port: z.number().int().min(0).max(65535).default(8080).describe('Port to listen on; 0 picks a free one. PORT overrides.'),
  tls: tlsSchema
    .optional()
    .describe('Serve HTTPS instead of HTTP; switching it on or off needs a restart, new certificates are read on SIGHUP.'),
  publicUrl: publicUrlSchema
    .optional()
    .describe(
      'The URL clients reach Provisio at, e.g. https://id.example.com (behind a proxy); every absolute URL Provisio writes (SCIM Location, meta.location) starts with it. Default: taken from each request.',
    ),
  trustProxy: z
    .union([z.number().int().min(1).max(32), z.array(proxyAddressSchema).min(1)])
    .optional()
    .describe(
      'Honour X-Forwarded-Proto/-Host/-For only from these peers: a hop count, or addresses and CIDRs (also loopback, linklocal, uniquelocal). Default: never.',
    ),
  metricsPort: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe(
      'Serve GET /metrics on a port of its own, plain HTTP and without credentials (0 picks a free one). Default: /metrics on the main port behind admin.auth.',
    ),
  metricsHost: z
    .string()
    .min(1)
    .optional()
    .describe('Address the metricsPort listens on (default 127.0.0.1: only this machine can scrape it).'),
  bodyLimit: z.string().default('1mb').describe('Largest request body accepted (413 beyond).'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const storeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sqlite'),
    path: z.string().min(1).default('.provisio/provisio.db').describe('Database file, relative to the manifest.'),
  }),
  z.strictObject({
    type: z.literal('postgres'),
    url: z.string().min(1).describe('postgres://user:password@host:5432/db; prefer ${env:DATABASE_URL}.'),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'lower-case letters, digits and "_", starting with a letter or "_"')
      .default('provisio')
      .describe('Schema of the identity tables; the job queue (pg-boss) uses "<schema>_queue".'),
    pool: z
      .strictObject({
        max: z.number().int().min(2).default(10).describe('Most connections this process opens.'),
        idleTimeoutMs: z.number().int().min(0).default(30000).describe('Close a connection idle this long.'),
        connectionTimeoutMs: z.number().int().min(0).default(10000).describe('Give up on connecting after this long (0: wait forever).'),
      })
      .default({ max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 10000 }),
  }),
]);

export const mappingRuleSchema = z.union([
  z.string().min(1).describe('Local attribute path or WSO2 claim URI.'),
  z
    .strictObject({
      from: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Local attribute path, WSO2 claim URI, or an expression: join("@", left(name.givenName, 1), "example.com"); see docs/pipeline.md.',
        ),
      default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('Used when the local value is missing.'),
      transform: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .describe('lower, upper, trim, truncate(n), replace(a,b), prefix(s), suffix(s), boolean, number, string; applied in order.'),
      lookup: z
        .string()
        .min(1)
        .optional()
        .describe('The value is a name: the connector resolves it to the id of the remote record, e.g. Profile.Name (Salesforce).'),
    })
    .refine((r) => r.from !== undefined || r.default !== undefined, { message: 'give from, default, or both' }),
]);

export const patternSchema = z.strictObject({
  template: z.string().min(1).default('{UN}').describe('Combination of {UD}, {UN}, {TD}, {IDP}, e.g. "{UD, UN, TD, IDP}".'),
  separator: z.string().default('_').describe('Joins the pattern parts; a literal, never a regex.'),
  domain: z.string().optional().describe('Provisioning domain appended as "@domain".'),
  userStoreDomain: z.string().default('PRIMARY').describe('{UD} when the userName has no "DOMAIN/" prefix.'),
  tenantDomain: z
    .string()
    .optional()
    .describe("{TD}: the instance's tenant domain (defaultTenant, carbon.super unless set, for the top-level connectors)."),
  idpName: z.string().optional().describe('{IDP}; defaults to the connector instance id.'),
});

export const matchRuleSchema = z.strictObject({
  local: z
    .string()
    .min(1)
    .optional()
    .describe('Local attribute path or WSO2 claim URI; default: the value the mapping writes to `remote`.'),
  remote: z
    .string()
    .min(1)
    .describe('Remote field compared with it (case-insensitively where the target is), e.g. Username, primaryEmail, userName.'),
});

export const reconcileSchema = z.strictObject({
  missing: z
    .enum(['recreate', 'report'])
    .default('recreate')
    .describe(
      'A linked account the target no longer has (an update answered "not found", or a reconcile did not find it): create it again, or fail the job and report it.',
    ),
  repair: z
    .boolean()
    .default(true)
    .describe(
      'Reconcile (for a connector that can read its target): repair what it finds with update jobs (drifted fields), create jobs (missing accounts, per `missing`) and removal jobs (orphans, per `orphans`). false: report only.',
    ),
  orphans: z
    .enum(['report', 'deactivate', 'delete'])
    .default('report')
    .describe(
      'Remote accounts no local identity stands for (never linked, or whose local user was deleted while the connector was disabled): report them, or deactivate or delete them through the job pipeline and the deletion guard. Salesforce only deactivates.',
    ),
  keep: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Remote account names (Username, primaryEmail, userName; compared ignoring case) never removed as orphans, e.g. the account Provisio signs in as.',
    ),
  every: z
    .string()
    .regex(DURATION_PATTERN, 'must be a duration such as 24h, 12h or 30m')
    .refine((text) => durationMs(text) >= 60_000, 'must be at least 1m')
    .optional()
    .describe(
      'Reconcile on a schedule, e.g. 24h: one process runs each due reconcile, however many share the store. Default: only on request.',
    ),
});

export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).default(8),
  baseDelayMs: z.number().int().min(1).default(1000),
  maxDelayMs: z
    .number()
    .int()
    .min(1)
    .default(15 * 60 * 1000),
});

/** A guard threshold: a count of accounts, or a share of the instance's linked accounts ("10%"). */
const guardThresholdSchema = z.union([
  z.number().int().min(1, 'must be at least 1 (give deprovisionGuard: false to turn the guard off)'),
  z
    .string()
    .regex(/^\d+(\.\d+)?%$/, 'must be a count (500) or a percentage of the linked accounts ("10%")')
    .refine(
      (share) => Number(share.slice(0, -1)) > 0 && Number(share.slice(0, -1)) <= 100,
      'must be a percentage above 0% and at most 100%',
    ),
]);

export const deprovisionGuardSchema = z
  .union([
    z.strictObject({
      threshold: guardThresholdSchema
        .optional()
        .describe(
          'Most deprovisioning jobs per window: a count (500) or a share of the linked accounts ("10%"). Default: the smaller of 500 and 10%.',
        ),
      window: z
        .string()
        .regex(/^0*[1-9]\d*[smhd]$/, 'must be a positive duration like 30m, 1h or 1d')
        .default('1h')
        .describe('The window the threshold counts in, e.g. 30m, 1h, 1d.'),
    }),
    z.boolean().refine((on) => !on, 'give false to turn the guard off, or { threshold, window }; it is on by default'),
  ])
  .optional()
  .describe(
    "Accidental-deletion guard: past the threshold, this instance's deprovisioning jobs are held until an operator releases or discards them. Default on: the smaller of 500 and 10% of the linked accounts per hour; false turns it off.",
  );

export const deprovisionSchema = z
  .strictObject({
    mode: z
      .enum(['delete', 'deactivate', 'skip'])
      .optional()
      .describe(
        "What deprovisioning does: delete the remote account, deactivate it, or skip (leave it alone; the link is marked `skipped`). Default: the connector type's own (its config.deleteMode).",
      ),
  })
  .default({});

export const connectorInstanceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, 'letters, digits, "-" and "_" only')
    .describe('Unique instance id, e.g. salesforce-prod.'),
  type: z.string().min(1).describe('Connector type contributed by a loaded plugin.'),
  enabled: z.boolean().default(true),
  mode: z.enum(['async', 'blocking']).default('async').describe('blocking: the inbound call waits for this instance and reports failures.'),
  blockingTimeoutMs: z.number().int().min(1).default(10000),
  config: z.record(z.string(), z.unknown()).default({}).describe("Validated by the connector type's own schema."),
  mapping: z
    .record(z.string(), mappingRuleSchema)
    .default({})
    .describe('Remote field ← local attribute/claim, with defaults and transforms.'),
  groupMapping: z.record(z.string(), mappingRuleSchema).default({}),
  pattern: patternSchema.optional(),
  scope: z
    .string()
    .optional()
    .describe('SCIM filter over local users, e.g. groups.display eq "Sales"; users outside it are deprovisioned.'),
  provisionGroups: z.boolean().default(true).describe('Provision groups and memberships when the connector type supports them.'),
  groupScope: z.string().optional().describe('SCIM filter over local groups, e.g. displayName sw "SF-".'),
  passwordProvisioning: z
    .boolean()
    .default(false)
    .describe('Hand the password received inbound to this connector (WSO2 "Enable Password Provisioning").'),
  concurrency: z.number().int().min(1).max(256).default(4).describe('Remote calls in flight at once (a batch counts as one).'),
  batch: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Use the connector type’s batch API (SCIM Bulk, sObject Collections, Directory batch) when it has one.'),
      maxOperations: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('At most this many operations per batch call (default: the connector type’s maximum).'),
    })
    .default({ enabled: true }),
  rateLimit: z
    .strictObject({
      perSecond: z.number().positive(),
      burst: z.number().int().min(1).optional(),
      key: z
        .string()
        .min(1)
        .optional()
        .describe("Share this limit with every instance (of any tenant) naming the same key: one target's API limit kept together."),
    })
    .optional(),
  retry: retryPolicySchema.default({ maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 15 * 60 * 1000 }),
  deprovisionGuard: deprovisionGuardSchema,
  deprovision: deprovisionSchema,
  // prefault: the default goes through the schema, so docs and editors show the input form ({}), not milliseconds.
  quarantine: quarantineSchema
    .prefault({})
    .describe('Stop calling a target whose calls mostly fail for a reason no retry fixes, and probe it; false: off. See docs/pipeline.md.'),
  match: z
    .array(matchRuleSchema)
    .min(1)
    .optional()
    .describe(
      'How an existing remote account is recognised as a local identity, tried in order (import, and finding an account after a create conflict or an unknown outcome). Default: the connector type’s rules.',
    ),
  reconcile: reconcileSchema.prefault({}),
});

export const workerSchema = z.strictObject({
  leaseSeconds: z
    .number()
    .int()
    .min(3)
    .max(3600)
    .default(60)
    .describe(
      'A claimed job belongs to its process this long, renewed every third of it while it runs; if the process dies, another takes the job over after this.',
    ),
  idlePollMs: z
    .number()
    .int()
    .min(10)
    .max(60000)
    .default(1000)
    .describe('Longest sleep of an idle worker; jobs planned in the same process wake it at once.'),
});

/** How long finished jobs and audit entries are kept; the worker prunes older ones in small batches. */
export const retentionSchema = z.strictObject({
  succeededJobs: retentionPeriodSchema
    .prefault('30d')
    .describe('Keep succeeded jobs this long after they finished ("30d"; false: for ever).'),
  supersededJobs: retentionPeriodSchema.prefault('7d').describe('Keep jobs replaced by a newer job of their identity this long.'),
  failedJobs: retentionPeriodSchema
    .prefault(false)
    .describe('Keep failed jobs this long (default false: for ever; they are the visible failed state until retried).'),
  audit: retentionPeriodSchema.prefault('400d').describe('Keep audit entries this long.'),
});

const SCIM_ATTRIBUTE_TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex'] as const;

export interface ScimAttributeInput {
  name: string;
  type: (typeof SCIM_ATTRIBUTE_TYPES)[number];
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  canonicalValues?: string[];
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  description?: string;
  referenceTypes?: string[];
  subAttributes?: ScimAttributeInput[];
}

/** Names unique case-insensitively (SCIM attribute names are), subAttributes exactly on complex attributes. */
function checkAttributes(attributes: readonly ScimAttributeInput[], context: z.RefinementCtx, path: PropertyKey[]): void {
  const seen = new Map<string, number>();
  attributes.forEach((attribute, index) => {
    const first = seen.get(attribute.name.toLowerCase());
    if (first !== undefined)
      context.addIssue({
        code: 'custom',
        path: [...path, index, 'name'],
        message: `duplicates attributes[${first}] ("${attribute.name}")`,
      });
    else seen.set(attribute.name.toLowerCase(), index);
    if (attribute.type === 'complex' && !attribute.subAttributes?.length)
      context.addIssue({ code: 'custom', path: [...path, index, 'subAttributes'], message: 'a complex attribute needs subAttributes' });
    if (attribute.type !== 'complex' && attribute.subAttributes !== undefined)
      context.addIssue({ code: 'custom', path: [...path, index, 'subAttributes'], message: `only complex attributes have subAttributes` });
    if (attribute.subAttributes) checkAttributes(attribute.subAttributes, context, [...path, index, 'subAttributes']);
  });
}

const scimAttributeSchema: z.ZodType<ScimAttributeInput, unknown> = z.lazy(() =>
  z.strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be an attribute name (a letter, then letters, digits, "_" or "-")')
      .describe('Attribute name, matched case-insensitively.'),
    type: z.enum(SCIM_ATTRIBUTE_TYPES).default('string'),
    multiValued: z.boolean().default(false),
    required: z.boolean().default(false).describe('Required on every resource that carries this extension.'),
    caseExact: z.boolean().default(false),
    canonicalValues: z.array(z.string()).optional().describe('The only values accepted (matched case-insensitively unless caseExact).'),
    mutability: z.enum(['readOnly', 'readWrite', 'immutable', 'writeOnly']).default('readWrite'),
    returned: z.enum(['always', 'never', 'default', 'request']).default('default'),
    uniqueness: z
      .enum(['none', 'server', 'global'])
      .default('none')
      .describe('server (or global): two resources may not share a value (409).'),
    description: z.string().optional(),
    referenceTypes: z.array(z.string()).optional(),
    subAttributes: z.array(scimAttributeSchema).optional(),
  }),
);

/** URNs of the schemas Provisio serves itself: an extension may not take one of them. */
const RESERVED_SCHEMA_URNS = [
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:core:2.0:Group',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:scim:schemas:core:1.0',
  'urn:scim:schemas:extension:enterprise:1.0',
];

/** One extension schema: RFC 7643 §7 schema JSON (schemas, meta and description allowed), or the same fields in YAML. */
const scimExtensionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i, 'must be a URN, e.g. urn:example:params:scim:schemas:extension:hr:2.0:User')
      .refine(
        (urn) => !RESERVED_SCHEMA_URNS.some((reserved) => reserved.toLowerCase() === urn.toLowerCase()),
        'is a core or enterprise schema',
      ),
    name: z.string().optional(),
    description: z.string().optional(),
    schemas: z.array(z.string()).optional().describe('Ignored: lets an RFC 7643 schema document be pasted as it is.'),
    meta: z.record(z.string(), z.unknown()).optional().describe('Ignored, as schemas.'),
    attachTo: z.enum(['User', 'Group']).default('User'),
    required: z.boolean().default(false).describe('Every resource must carry this extension (schemaExtensions.required).'),
    attributes: z.array(scimAttributeSchema).min(1),
  })
  .superRefine((extension, context) => checkAttributes(extension.attributes, context, ['attributes']));

export const scimSchemasSchema = z
  .strictObject({
    builtIn: z
      .array(z.enum(['wso2', 'entra']))
      .default([])
      .describe(
        'wso2: WSO2 Identity Server’s urn:scim:wso2:schema and Provisio’s WSO2 claim extension; entra: any Entra custom extension (urn:ietf:params:scim:schemas:extension:<name>:2.0:User) kept as sent.',
      ),
    lenient: z
      .boolean()
      .default(false)
      .describe('Keep undeclared extensions and unknown attributes of declared ones as opaque data instead of answering 400 invalidValue.'),
    extensions: z.array(scimExtensionSchema).default([]),
  })
  .superRefine((schemas, context) => {
    const seen = new Map<string, number>();
    schemas.extensions.forEach((extension, index) => {
      const first = seen.get(extension.id.toLowerCase());
      if (first !== undefined)
        context.addIssue({ code: 'custom', path: ['extensions', index, 'id'], message: `duplicates extensions[${first}]` });
      else seen.set(extension.id.toLowerCase(), index);
      if (schemas.builtIn.includes('wso2') && ['urn:scim:wso2:schema', WSO2_EXTENSION_URN].includes(extension.id.toLowerCase()))
        context.addIssue({ code: 'custom', path: ['extensions', index, 'id'], message: 'is a built-in schema (builtIn: wso2)' });
    });
  });

const WSO2_EXTENSION_URN = 'urn:provisio:params:scim:schemas:extension:wso2:2.0:user';

export type ScimSchemasConfig = z.output<typeof scimSchemasSchema>;
export type ScimExtensionConfig = ScimSchemasConfig['extensions'][number];

const SCIM_ALIASES_DESCRIPTION =
  'Other products’ SCIM paths, served beside basePath with the same credentials and behaviour. wso2: /scim2 (SCIM 2.0) and /wso2/scim (SCIM 1.1), as WSO2 Identity Server serves them.';
const SCIM_SCHEMAS_DESCRIPTION =
  'Extension schemas of Users and Groups: declared ones are validated, stored, filterable; see docs/custom-schemas.md.';

/** A tenant domain: a lowercase DNS name (WSO2's tenant domains, e.g. acme.com; the default tenant is carbon.super). */
export const tenantDomainSchema = z
  .string()
  .regex(TENANT_DOMAIN, 'must be a lowercase DNS name such as acme.com (letters, digits, hyphens and dots; no upper case)');

/**
 * One organisation of a multi-tenant Provisio (`tenants:`): its own users and groups, SCIM endpoint
 * (`/t/<domain>/scim/v2`), credentials and connector instances. See docs/tenants.md.
 */
export const tenantSchema = z.strictObject({
  domain: tenantDomainSchema.describe(
    "The tenant domain: its SCIM paths are /t/<domain>/scim/v2 and /t/<domain>/scim/v1, and WSO2's /t/<domain>/scim2 and /t/<domain>/wso2/scim.",
  ),
  displayName: z.string().min(1).optional(),
  inbound: z
    .strictObject({
      scim: z
        .strictObject({
          auth: authSchema.default(authSchema.parse({})).describe("This tenant's SCIM credentials; they open no other tenant."),
          schemas: scimSchemasSchema.prefault({}).describe(SCIM_SCHEMAS_DESCRIPTION),
        })
        .prefault({}),
    })
    .prefault({}),
  admin: z
    .strictObject({ auth: authSchema.default(authSchema.parse({})) })
    .optional()
    .describe("A tenant admin: sees and changes only this tenant's users, jobs and connectors."),
  connectors: z.array(connectorInstanceSchema).default([]),
});

export type TenantConfig = z.output<typeof tenantSchema>;

export const manifestSchema = z.strictObject({
  server: serverSchema.default(serverSchema.parse({})),
  store: storeSchema.default({ type: 'sqlite', path: '.provisio/provisio.db' }),
  worker: workerSchema.default({ leaseSeconds: 60, idlePollMs: 1000 }),
  retention: retentionSchema.prefault({}),
  plugins: z.array(z.string().min(1)).default([]).describe('npm package names or paths relative to the manifest.'),
  inbound: z
    .strictObject({
      scim: z
        .strictObject({
          basePath: z.string().default('/scim'),
          auth: authSchema.default(authSchema.parse({})),
          aliases: z
            .array(z.enum(['wso2']))
            .default([])
            .describe(SCIM_ALIASES_DESCRIPTION),
          schemas: scimSchemasSchema.prefault({}).describe(SCIM_SCHEMAS_DESCRIPTION),
        })
        .prefault({}),
    })
    .prefault({}),
  connectors: z.array(connectorInstanceSchema).default([]),
  admin: z.strictObject({ auth: authSchema.default(authSchema.parse({})) }).default({ auth: authSchema.parse({}) }),
  defaultTenant: tenantDomainSchema
    .default(DEFAULT_TENANT)
    .describe(
      'The tenant of the top-level inbound, admin and connectors sections (WSO2 names it carbon.super); its SCIM paths have no /t/ prefix.',
    ),
  tenants: z.array(tenantSchema).default([]).describe('Other organisations served by this Provisio, each isolated; see docs/tenants.md.'),
  notifications: notificationsSchema
    .prefault({})
    .describe('Webhooks and email that tell operators about quarantines, held deletions, failed jobs, drift.'),
  security: z
    .strictObject({
      passwordKey: z
        .string()
        .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
        .optional()
        .describe(
          'Key that seals passwords awaiting provisioning. Default with SQLite: a key file beside the database. Required with PostgreSQL (every process needs the same key).',
        ),
      pendingPasswordTtl: z
        .string()
        .regex(DURATION_PATTERN, 'must be a duration such as 7d, 12h, 30m or 90s')
        .default('7d')
        .describe(
          'How long a password waits, sealed, for targets that have not received it yet (a job that failed and awaits a retry); then it is destroyed and the job records that it expired.',
        ),
    })
    .default({ pendingPasswordTtl: '7d' }),
});

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
export type ConnectorInstanceConfig = z.output<typeof connectorInstanceSchema>;
export type MappingRule = z.output<typeof mappingRuleSchema>;
export type ProvisioningPatternConfig = z.output<typeof patternSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;
export type RetryPolicyConfig = z.output<typeof retryPolicySchema>;
export type RetentionConfig = z.output<typeof retentionSchema>;
export type MatchRuleConfig = z.output<typeof matchRuleSchema>;

/** Paths of core's own secret fields; `*` matches any array index. */
export const CORE_SECRET_PATHS: readonly string[] = [
  'server.tls.key',
  'server.tls.pfx',
  'server.tls.passphrase',
  'store.url',
  'inbound.scim.auth.bearer.*.token',
  'inbound.scim.auth.basic.*.password',
  'admin.auth.bearer.*.token',
  'admin.auth.basic.*.password',
  'security.passwordKey',
  'notifications.webhooks.*.secret',
  'notifications.smtp.auth.pass',
  'tenants.*.inbound.scim.auth.bearer.*.token',
  'tenants.*.inbound.scim.auth.basic.*.password',
  'tenants.*.admin.auth.bearer.*.token',
  'tenants.*.admin.auth.basic.*.password',
];
