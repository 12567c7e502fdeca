import { createHash } from 'node:crypto';
import type { ConnectorDefinition } from '../connector/define-connector.js';
import type { ConnectorTypeSummary } from '../connector/connector-type-registry.js';
import { collectValuesAt } from '../logging/secret-redaction.js';
import { manifestErrorMap, problemsFromZod, type ManifestProblem } from './manifest-problems.js';
import {
  CORE_SECRET_PATHS,
  connectorInstanceSchema,
  manifestSchema,
  scimSchemasSchema,
  type Manifest,
  type ScimSchemasConfig,
} from './manifest-schema.js';
import { checkTargetExpressions } from '../pipeline/provisioning-target.js';
import { unknownKeyProblems } from './unknown-keys.js';
import type { ExpressionFunctions } from '../extension/expression-function.js';

/** What validation needs of the registry; the real ConnectorTypeRegistry fits. */
export interface ConnectorTypeLookup {
  get(type: string): ConnectorDefinition | undefined;
  list(): ConnectorTypeSummary[];
}

export type ManifestValidation = { ok: true; manifest: Manifest; problems: [] } | { ok: false; problems: ManifestProblem[] };

/**
 * Validates a manifest whose secret references are already resolved: core's
 * schema, then every connector's `config` with its type's own schema. All
 * problems are reported at once, each at its exact path. `functions`: the
 * plugins' expression functions that mappings may call.
 */
export function validateManifest(raw: unknown, types: ConnectorTypeLookup, functions?: ExpressionFunctions): ManifestValidation {
  const problems: ManifestProblem[] = [];
  const parsed = manifestSchema.safeParse(raw, { error: manifestErrorMap });
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error));
  // Connector configs are checked below with their own schemas; `config` itself is a record here.
  problems.push(...unknownKeyProblems(manifestSchema, raw));

  const schemas = mappedSchemas(raw, parsed.success ? parsed.data : undefined);
  const rawConnectors = isRecord(raw) && Array.isArray(raw.connectors) ? raw.connectors : [];
  const configs = validateConnectors(rawConnectors, 'connectors', schemas, types, functions, problems);
  const rawTenants = isRecord(raw) && Array.isArray(raw.tenants) ? raw.tenants : [];
  const tenantConfigs = rawTenants.map((tenant: unknown, index: number) => {
    if (!isRecord(tenant)) return [];
    const tenantSchemas = mappedSchemas(tenant, parsed.success ? parsed.data.tenants[index] : undefined);
    const connectors = Array.isArray(tenant.connectors) ? tenant.connectors : [];
    return validateConnectors(connectors, `tenants[${index}].connectors`, tenantSchemas, types, functions, problems);
  });
  if (parsed.success) problems.push(...tenantProblems(parsed.data), ...sharedRateLimitProblems(parsed.data));

  if (parsed.success && parsed.data.store.type === 'postgres' && !parsed.data.security.passwordKey) {
    // Each process seals passwords that another may provision: they need one key, not one each.
    problems.push({
      path: 'security.passwordKey',
      message:
        'required with store.type "postgres": every process must use the same key (openssl rand -base64 32, e.g. ${env:PROVISIO_PASSWORD_KEY})',
    });
  }
  if (parsed.success) problems.push(...clientSubjectProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: withoutEchoes(problems) };
  const manifest = parsed.data;
  const withConfigs = (connectors: Manifest['connectors'], validated: unknown[]) =>
    connectors.map((connector, index) => ({ ...connector, config: validated[index] as Record<string, unknown> }));
  manifest.connectors = withConfigs(manifest.connectors, configs);
  manifest.tenants = manifest.tenants.map((tenant, index) => ({
    ...tenant,
    connectors: withConfigs(tenant.connectors, tenantConfigs[index]),
  }));
  return { ok: true, manifest, problems: [] };
}

/**
 * Each connector instance of one list (`connectors`, or a tenant's): ids unique in the list, a known type, the
 * type's own config schema, and the mapping's expressions. Returns the validated configs by index.
 */
function validateConnectors(
  rawConnectors: unknown[],
  at: string,
  schemas: ScimSchemasConfig,
  types: ConnectorTypeLookup,
  functions: ExpressionFunctions | undefined,
  problems: ManifestProblem[],
): unknown[] {
  const configs: unknown[] = [];
  const seenIds = new Map<string, number>();
  rawConnectors.forEach((entry: unknown, index: number) => {
    if (!isRecord(entry)) return;
    const path = `${at}[${index}]`;
    if (typeof entry.id === 'string') {
      const first = seenIds.get(entry.id);
      if (first !== undefined) problems.push({ path: `${path}.id`, message: `duplicate id "${entry.id}" (also ${at}[${first}])` });
      else seenIds.set(entry.id, index);
    }
    if (typeof entry.type !== 'string') return;
    const definition = types.get(entry.type);
    if (!definition) {
      problems.push({ path: `${path}.type`, message: unknownTypeMessage(entry.type, types) });
      return;
    }
    const unified = deprovisionModeConfig(entry, definition, path);
    if ('problem' in unified) problems.push(unified.problem);
    const config = definition.configSchema.safeParse('config' in unified ? unified.config : (entry.config ?? {}), {
      error: manifestErrorMap,
    });
    if (config.success) configs[index] = config.data;
    else problems.push(...problemsFromZod(config.error, `${path}.config`));
    // A type's schema may be a plain z.object, which would drop a misspelt key silently.
    problems.push(...unknownKeyProblems(definition.configSchema, entry.config ?? {}, `${path}.config`));
    const settings = connectorInstanceSchema.safeParse(entry);
    if (settings.success) {
      for (const problem of checkTargetExpressions({ settings: settings.data, definition }, functions, schemas)) {
        problems.push({ path: `${path}.${problem.field}`, message: problem.message });
      }
    }
  });
  return configs;
}

/** Instances that share a `rateLimit.key` share one bucket, so they must agree on its rate and burst. */
function sharedRateLimitProblems(manifest: Manifest): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const first = new Map<string, { path: string; rate: string }>();
  const lists: [string, Manifest['connectors']][] = [
    ['connectors', manifest.connectors],
    ...manifest.tenants.map((t, i): [string, Manifest['connectors']] => [`tenants[${i}].connectors`, t.connectors]),
  ];
  for (const [at, connectors] of lists) {
    connectors.forEach((connector, index) => {
      const limit = connector.rateLimit;
      if (limit?.key === undefined) return;
      const path = `${at}[${index}].rateLimit`;
      const rate = `perSecond ${limit.perSecond}, burst ${limit.burst ?? 'default'}`;
      const seen = first.get(limit.key);
      if (!seen) first.set(limit.key, { path, rate });
      else if (seen.rate !== rate)
        problems.push({
          path,
          message: `shares key "${limit.key}" with ${seen.path} (${seen.rate}) but says ${rate}; one bucket has one rate`,
        });
    });
  }
  return problems;
}

/**
 * Tenants are told apart by domain and by credential: a domain appears once (and is not the default tenant's),
 * and a SCIM or admin credential opens one tenant only, so no request can be taken for another tenant's.
 */
function tenantProblems(manifest: Manifest): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const domains = new Map<string, number>();
  manifest.tenants.forEach((tenant, index) => {
    const path = `tenants[${index}].domain`;
    if (tenant.domain === manifest.defaultTenant)
      problems.push({ path, message: `"${tenant.domain}" is the default tenant (defaultTenant); its sections are the top-level ones` });
    const first = domains.get(tenant.domain);
    if (first !== undefined) problems.push({ path, message: `duplicate tenant domain "${tenant.domain}" (also tenants[${first}])` });
    else domains.set(tenant.domain, index);
  });
  const owners = new Map<string, string>();
  const sections = authSections(manifest);
  const tenantOf = (path: string) => (path.startsWith('tenants[') ? path.slice(0, path.indexOf(']') + 1) : 'the default tenant');
  for (const [path, auth] of sections) {
    const keys: [string, string][] = [
      ...auth.bearer.map((c, i): [string, string] => [
        `${path}.bearer[${i}]`,
        `bearer:${c.tokenSha256?.toLowerCase() ?? sha256(c.token ?? '')}`,
      ]),
      ...auth.basic.map((c, i): [string, string] => [
        `${path}.basic[${i}]`,
        `basic:${c.username}:${c.passwordSha256?.toLowerCase() ?? sha256(c.password ?? '')}`,
      ]),
      // Tokens of one issuer for one audience are alike to the verifier, whichever tenant lists them.
      ...auth.jwt.map((c, i): [string, string] => [`${path}.jwt[${i}]`, `jwt:${JSON.stringify([c.issuer, c.audience])}`]),
    ];
    for (const [at, key] of keys) {
      const owner = owners.get(key);
      if (owner !== undefined && tenantOf(owner) !== tenantOf(at))
        problems.push({
          path: at,
          message: `the same credential also opens ${tenantOf(owner)} (${owner}); a credential belongs to one tenant`,
        });
      else if (owner === undefined) owners.set(key, at);
    }
  }
  return problems;
}

/**
 * The extension schemas mappings may read: the manifest's own, or (when the manifest has other
 * problems) its schemas section on its own; a broken one is reported there, and accepts any extension path here.
 */
function mappedSchemas(raw: unknown, section: { inbound: { scim: { schemas: ScimSchemasConfig } } } | undefined): ScimSchemasConfig {
  if (section) return section.inbound.scim.schemas;
  const inbound = isRecord(raw) && isRecord(raw.inbound) && isRecord(raw.inbound.scim) ? raw.inbound.scim.schemas : undefined;
  const parsed = scimSchemasSchema.safeParse(inbound ?? {});
  return parsed.success ? parsed.data : { builtIn: [], lenient: true, extensions: [] };
}

type AuthConfig = Manifest['admin']['auth'];

/** Every credentials section of a manifest, with its path: SCIM and admin, of the default tenant and of each other. */
function authSections(manifest: Manifest): [string, AuthConfig][] {
  return [
    ['inbound.scim.auth', manifest.inbound.scim.auth],
    ['admin.auth', manifest.admin.auth],
    ...manifest.tenants.flatMap((tenant, index): [string, AuthConfig][] => [
      [`tenants[${index}].inbound.scim.auth`, tenant.inbound.scim.auth],
      ...(tenant.admin ? [[`tenants[${index}].admin.auth`, tenant.admin.auth] as [string, AuthConfig]] : []),
    ]),
  ];
}

/** A credential bound to a client certificate can only be used where the server asks for one. */
function clientSubjectProblems(manifest: Manifest): ManifestProblem[] {
  if (manifest.server.tls?.requestClientCert) return [];
  const problems: ManifestProblem[] = [];
  const sections = authSections(manifest);
  for (const [path, auth] of sections) {
    for (const kind of ['bearer', 'basic'] as const) {
      auth[kind].forEach((credential, index) => {
        if (credential.clientSubject !== undefined) {
          problems.push({
            path: `${path}.${kind}[${index}].clientSubject`,
            message:
              'needs server.tls with requestClientCert: true (no client certificate is asked for, so this credential could never be used)',
          });
        }
      });
    }
  }
  return problems;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Zod's own "unknown key" (strict objects) and the walk's (with a suggestion) name the same key: keep the walk's. */
function withoutEchoes(problems: ManifestProblem[]): ManifestProblem[] {
  const suggested = new Set(problems.filter((p) => p.message.startsWith('unknown key;')).map((p) => p.path));
  return problems.filter((p) => !(p.message === 'unknown key' && suggested.has(p.path)));
}

function unknownTypeMessage(type: string, types: ConnectorTypeLookup): string {
  const loaded = types.list();
  if (loaded.length === 0) return `unknown connector type "${type}"; no plugin is loaded`;
  const byPlugin = new Map<string, string[]>();
  for (const t of loaded) byPlugin.set(t.plugin, [...(byPlugin.get(t.plugin) ?? []), t.type]);
  const listed = [...byPlugin].map(([plugin, ts]) => `${plugin} (${ts.join(', ')})`).join(', ');
  return `unknown connector type "${type}"; loaded plugins: ${listed}. Add the plugin that provides it to "plugins"`;
}

/** Every secret path of a validated manifest: core's plus each connector's `secretFields`. */
export function manifestSecretPaths(manifest: Manifest, types: ConnectorTypeLookup): string[] {
  const paths = [...CORE_SECRET_PATHS];
  const connectorSecrets = (connectors: Manifest['connectors'], at: string) =>
    connectors.forEach((connector, index) => {
      for (const field of types.get(connector.type)?.secretFields ?? []) paths.push(`${at}.${index}.config.${field}`);
    });
  connectorSecrets(manifest.connectors, 'connectors');
  manifest.tenants.forEach((tenant, index) => connectorSecrets(tenant.connectors, `tenants.${index}.connectors`));
  return paths;
}

/** The secret values of a manifest, for the log scrubber. */
export function manifestSecretValues(manifest: Manifest, types: ConnectorTypeLookup): string[] {
  return collectValuesAt(manifest, manifestSecretPaths(manifest, types));
}

/** What each instance-level `deprovision.mode` is called in a connector type's own `config.deleteMode`, in order of preference. */
const DELETE_MODE_NAMES: Record<string, readonly string[]> = { delete: ['delete'], deactivate: ['deactivate', 'suspend'] };

/**
 * `deprovision.mode` (delete | deactivate) is the one place to say what deprovisioning does: it sets the
 * connector type's own `config.deleteMode` (SCIM delete/deactivate, Google delete/suspend, Salesforce
 * deactivate). A type that cannot do it, or a config that says otherwise, is a problem at the path.
 */
function deprovisionModeConfig(
  entry: Record<string, unknown>,
  definition: ConnectorDefinition,
  at: string,
): { config: Record<string, unknown> } | { problem: ManifestProblem } | Record<string, never> {
  const mode = isRecord(entry.deprovision) ? entry.deprovision.mode : undefined;
  if (typeof mode !== 'string' || !(mode in DELETE_MODE_NAMES)) return {};
  const config = isRecord(entry.config) ? entry.config : {};
  const path = `${at}.deprovision.mode`;
  // Other problems of the config are reported on their own: only deleteMode's answer matters here.
  const acceptsName = (name: string) =>
    definition.configSchema.safeParse({ ...config, deleteMode: name }).error?.issues.every((issue) => issue.path[0] !== 'deleteMode') ??
    true;
  const accepted = DELETE_MODE_NAMES[mode].find(acceptsName);
  if (accepted === undefined)
    return {
      problem: { path, message: `connector type "${definition.type}" cannot ${mode} users; use its config.deleteMode or mode skip` },
    };
  if (config.deleteMode !== undefined && config.deleteMode !== accepted)
    return { problem: { path, message: `"${mode}" contradicts config.deleteMode "${String(config.deleteMode)}"; give one of them` } };
  return { config: { ...config, deleteMode: accepted } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
