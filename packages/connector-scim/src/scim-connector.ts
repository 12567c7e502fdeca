import type {
  BatchOperation,
  BatchOutcome,
  ConnectorContext,
  HealthReport,
  RemoteCallOptions,
  RemoteRequestPreview,
  UserPreviewOperation,
} from '@provisio/core';
import { DelegatingReadingConnector, displayUrl, maskSecrets, provisionSingly } from '@provisio/core';
import { ScimBulk } from './scim-bulk.js';
import { secretValues, type ScimConfig } from './scim-config.js';
import type { ScimDialect } from './scim-dialect.js';
import { resolveEndpoints, type ScimEndpoints } from './scim-endpoints.js';
import { UserModelCache } from './scim-schema-discovery.js';
import { ScimGroups } from './scim-groups.js';
import { ScimReader } from './scim-reader.js';
import { ServiceConfigCache } from './scim-service-config.js';
import { ScimSession } from './scim-session.js';
import { ScimUsers } from './scim-users.js';

/** A SCIM 2.0 or 1.1 service as a Provisio target. Thin: users, groups, bulk and the session do the work. */
export class ScimConnector extends DelegatingReadingConnector {
  readonly endpoints: ScimEndpoints;
  private readonly session: ScimSession;
  private readonly features: ServiceConfigCache;
  protected readonly users: ScimUsers;
  protected readonly groups: ScimGroups;
  private readonly bulk: ScimBulk;
  protected readonly reader: ScimReader;

  constructor(
    config: ScimConfig,
    private readonly dialect: ScimDialect,
    ctx: ConnectorContext,
  ) {
    super();
    this.endpoints = resolveEndpoints(config);
    this.session = new ScimSession(config, dialect, ctx, secretValues(config));
    this.features = new ServiceConfigCache(this.session, dialect, config, this.endpoints.root + dialect.serviceConfigPath);
    const type = dialect.version === '2.0' ? 'scim2' : 'scim11';
    const models = new UserModelCache(this.session, dialect, this.endpoints.root, ctx.logger, `connector "${ctx.instanceId}" (${type})`);
    const parts = { session: this.session, dialect, config, features: this.features };
    this.users = new ScimUsers(parts, this.endpoints.users, models);
    this.groups = new ScimGroups(parts, this.endpoints.groups);
    this.bulk = new ScimBulk(this.session, this.users, config, this.endpoints, this.features);
    this.reader = new ScimReader(this.session, dialect, config, this.endpoints, this.features, models);
  }

  /** Through /Bulk when the service offers it, else one request per operation; each outcome reported as it lands. */
  provisionBatch(
    operations: BatchOperation[],
    report?: (outcome: BatchOutcome) => Promise<void>,
    call: RemoteCallOptions = {},
  ): Promise<BatchOutcome[]> {
    return this.bulk.provision(operations, (op) => provisionSingly(this, op, call), report, call.signal);
  }

  /** 1 without /Bulk: the worker then claims one job per concurrency slot, not a batch it would send call by call. */
  batchLimit(): Promise<number> {
    return this.bulk.limit();
  }

  /** The same requests createUser/updateUser build (UserRequests), with the password masked. */
  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    const requests = this.users.requests;
    const keys =
      operation.kind === 'create'
        ? Object.keys(operation.payload.attributes)
        : [...Object.keys(operation.update.changed), ...Object.keys(operation.update.attributes)];
    const model = await this.users.models.forKeys(keys);
    const write =
      operation.kind === 'create'
        ? requests.create(model, operation.payload)
        : (await this.features.usePatch())
          ? requests.patch(model, operation.update, { valueFilters: await this.features.valueFilters() })
          : requests.replace(model, operation.update);
    if (!write) return [];
    const call = this.users.call(write, operation.kind);
    return [
      {
        operation: `${write.method} ${this.dialect.version === '1.1' ? '/Users (SCIM 1.1)' : '/Users'}`,
        method: write.method,
        path: displayUrl(call.url),
        body: maskSecrets(write.body, ['password']),
      },
    ];
  }

  async check(): Promise<HealthReport> {
    const where = `SCIM ${this.dialect.version} service at ${displayUrl(this.endpoints.root)}`;
    try {
      const features = await this.features.refresh();
      const mapping = await this.schemaNote();
      if (!features.advertised)
        return {
          ok: true,
          message: `${where}: reachable and authenticated; no ServiceProviderConfig, so PATCH and Bulk are not used; ${mapping}`,
        };
      const bulk = features.bulk
        ? `Bulk supported (max ${features.maxOperations} operations, ${features.maxPayloadSize} bytes)`
        : 'Bulk not used';
      return {
        ok: true,
        message: `${where}: PATCH ${features.patch ? 'used' : 'not used (PUT instead)'}, ${bulk}; ${mapping}`,
        details: { ...features },
      };
    } catch (error) {
      return { ok: false, message: `${where}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Which schema attribute-path mapping keys are checked against; a schema that cannot be read is reported, not a failed check. */
  private async schemaNote(): Promise<string> {
    try {
      const { schema } = await this.users.models.refresh();
      const extensions = schema.extensions.map((e) => e.id);
      return `attribute paths in the mapping are checked against ${schema.source}${extensions.length > 0 ? ` (extensions: ${extensions.join(', ')})` : ''}`;
    } catch (error) {
      return `the User schema could not be read (${error instanceof Error ? error.message : String(error)}), so attribute paths in the mapping cannot be checked yet`;
    }
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
