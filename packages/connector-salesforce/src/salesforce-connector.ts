import {
  DelegatingReadingConnector,
  MASK,
  defineConnector,
  type BatchOperation,
  type BatchOutcome,
  type ConnectorContext,
  type HealthReport,
  type RemoteCallOptions,
  type RemoteRequestPreview,
  type UserPreviewOperation,
} from '@provisio/core';
import { RecordWriter, COLLECTION_LIMIT } from './record-writer.js';
import { SalesforceBatch } from './salesforce-batch.js';
import { SALESFORCE_SECRET_FIELDS, salesforceConfigSchema, type SalesforceConfig } from './salesforce-config.js';
import { SalesforceGroups } from './salesforce-groups.js';
import { checkSalesforceLookup, SalesforceLookups } from './salesforce-lookups.js';
import { SalesforceReader } from './salesforce-reader.js';
import { SalesforceSession } from './salesforce-session.js';
import { SALESFORCE_DEFAULT_MAPPING, userChangesForUpdate, userRecordForCreate } from './salesforce-user-mapper.js';
import { SalesforceUsers } from './salesforce-users.js';
import { queryPath, soqlString } from './soql.js';

interface ApiLimits {
  DailyApiRequests?: { Max: number; Remaining: number };
}

/** One Salesforce org, as configured for one connector instance. */
export class SalesforceConnector extends DelegatingReadingConnector {
  readonly session: SalesforceSession;
  protected readonly users: SalesforceUsers;
  protected readonly groups: SalesforceGroups;
  private readonly batch: SalesforceBatch;
  protected readonly reader: SalesforceReader;
  private readonly lookups: SalesforceLookups;

  constructor(
    private readonly config: SalesforceConfig,
    ctx: ConnectorContext,
  ) {
    super();
    this.session = new SalesforceSession(config, ctx);
    const writer = new RecordWriter(this.session, config);
    this.lookups = new SalesforceLookups(this.session, ctx.lookups);
    this.users = new SalesforceUsers(this.session, config, ctx.clock, this.lookups);
    this.groups = new SalesforceGroups(this.session, writer, config);
    this.batch = new SalesforceBatch(this.users, writer, config, this.lookups);
    this.reader = new SalesforceReader(this.session, config, this.lookups.fields);
  }

  provisionBatch(
    operations: BatchOperation[],
    report?: (outcome: BatchOutcome) => Promise<void>,
    call: RemoteCallOptions = {},
  ): Promise<BatchOutcome[]> {
    return this.batch.run(operations, report, call.signal);
  }

  /** The bodies SalesforceUsers sends (same mapper functions), the password masked. */
  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    const base = `/services/data/v${this.config.apiVersion}`;
    const requests: RemoteRequestPreview[] = [];
    let remoteId = '{new User Id}';
    if (operation.kind === 'create') {
      const attributes = await this.lookups.resolve(operation.payload.attributes);
      requests.push({
        operation: 'create User',
        method: 'POST',
        path: `${base}/sobjects/User`,
        body: userRecordForCreate({ ...operation.payload, attributes }, this.config),
      });
    } else {
      remoteId = operation.update.remoteId;
      const changed = await this.lookups.resolve(operation.update.changed);
      const changes = userChangesForUpdate({ ...operation.update, changed }, this.config);
      if (Object.keys(changes).length > 0)
        requests.push({ operation: `update User ${remoteId}`, method: 'PATCH', path: `${base}/sobjects/User/${remoteId}`, body: changes });
    }
    const password = operation.kind === 'create' ? operation.payload.password : operation.update.password;
    if (password !== undefined)
      requests.push({
        operation: `set the password of User ${remoteId}`,
        method: 'POST',
        path: `${base}/sobjects/User/${remoteId}/password`,
        body: { NewPassword: MASK },
      });
    return requests;
  }

  /** Logs in and reads /limits; reports the daily API calls left. Never throws. */
  async check(): Promise<HealthReport> {
    try {
      const token = await this.session.token();
      const limits = await this.session.request<ApiLimits>({ method: 'GET', path: 'limits' }, { action: 'read limits' });
      const who = await this.whoAmI(token.userId);
      const daily = limits.DailyApiRequests;
      const calls = daily
        ? `; ${daily.Remaining.toLocaleString('en-US')} of ${daily.Max.toLocaleString('en-US')} daily API calls left`
        : '';
      return {
        ok: true,
        message: `authenticated as ${who} at ${token.instanceUrl} (API v${this.config.apiVersion})${calls}`,
        details: { instanceUrl: token.instanceUrl, apiVersion: this.config.apiVersion, dailyApiRequests: daily },
      };
    } catch (error) {
      return { ok: false, message: this.session.scrub(error instanceof Error ? error.message : String(error)) };
    }
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  private async whoAmI(userId: string | undefined): Promise<string> {
    const { auth } = this.config;
    if (auth.flow !== 'clientCredentials') return auth.username;
    if (!userId) return auth.executionUser ?? 'the execution user';
    const soql = `SELECT Username FROM User WHERE Id = ${soqlString(userId)}`;
    const result = await this.session.request<{ records: Array<{ Username: string }> }>(
      { method: 'GET', path: queryPath(soql) },
      { action: 'read the execution user' },
    );
    return result.records[0]?.Username ?? userId;
  }
}

export const salesforceConnector = defineConnector({
  type: 'salesforce',
  displayName: 'Salesforce',
  description:
    'Users (User sObject; deprovisioning deactivates), public groups and permission sets, over the REST API with jsforce; sObject Collections for batches.',
  configSchema: salesforceConfigSchema,
  secretFields: SALESFORCE_SECRET_FIELDS,
  capabilities: { users: true, groups: true, passwords: true, batch: { maxOperations: COLLECTION_LIMIT }, read: { groups: true } },
  defaultMapping: SALESFORCE_DEFAULT_MAPPING,
  // Any User field can be matched on (custom ones too), so the connector cannot tell a wrong name before the query.
  matching: {
    defaults: [{ remote: 'Username' }, { remote: 'FederationIdentifier' }, { remote: 'Email' }],
    accountNameField: 'Username',
    caseInsensitive: true,
  },
  // ProfileId: { from: roles[primary eq true].value, lookup: Profile.Name }: manifests name profiles, the connector finds their ids.
  checkLookup: checkSalesforceLookup,
  create: (config, ctx) => new SalesforceConnector(config, ctx),
});
