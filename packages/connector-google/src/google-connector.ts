import {
  DelegatingReadingConnector,
  defineConnector,
  isPermanentError,
  isTransientError,
  type BatchOperation,
  type BatchOutcome,
  type ConnectorContext,
  type HealthReport,
  type RemoteCallOptions,
  type RemoteRequestPreview,
  type UserPreviewOperation,
} from '@provisio/core';
import { googleConfigSchema, GOOGLE_SECRET_FIELDS, type GoogleConfig } from './google-config.js';
import { DEFAULT_GROUP_MAPPING, DEFAULT_USER_MAPPING } from './google-default-mapping.js';
import { GoogleGroups } from './google-groups.js';
import { GoogleReader } from './google-reader.js';
import { GoogleSession } from './google-session.js';
import { provisionUserBatch } from './google-user-batch.js';
import { GoogleUsers } from './google-users.js';

const CUSTOMER_SCOPE = /admin\.directory\.customer(\.readonly)?$/;

/** Google Workspace through the Admin SDK Directory API, as one delegated super administrator. */
export class GoogleConnector extends DelegatingReadingConnector {
  readonly session: GoogleSession;
  protected readonly users: GoogleUsers;
  protected readonly groups: GoogleGroups;
  protected readonly reader: GoogleReader;

  constructor(
    readonly config: GoogleConfig,
    ctx: ConnectorContext,
  ) {
    super();
    this.session = new GoogleSession(config, ctx);
    this.users = new GoogleUsers(this.session, config);
    this.groups = new GoogleGroups(this.session, config);
    this.reader = new GoogleReader(this.session, config);
  }

  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    return this.users.preview(operation);
  }

  provisionBatch(operations: BatchOperation[], _report?: unknown, call?: RemoteCallOptions): Promise<BatchOutcome[]> {
    return provisionUserBatch(this, operations, call);
  }

  async check(): Promise<HealthReport> {
    try {
      await this.session.authorize();
      const details: Record<string, unknown> = {};
      if (this.config.scopes.some((s) => CUSTOMER_SCOPE.test(s))) {
        const { data } = await this.session.call('customers.get', (d) => d.customers.get({ customerKey: this.config.customer }));
        Object.assign(details, { customerId: data.id, customerDomain: data.customerDomain });
      }
      // Listing by domain proves the user scope, the delegation and that the domain is this customer's.
      await this.session.call(`users.list domain ${this.config.domain}`, (d) =>
        d.users.list({ domain: this.config.domain, maxResults: 1 }),
      );
      const customer = details['customerId']
        ? `; customer ${String(details['customerId'])} (primary domain ${String(details['customerDomain'])})`
        : '';
      const actor = this.session.errorContext.serviceAccountEmail;
      return {
        ok: true,
        message: `authenticated as ${actor} acting for ${this.config.adminEmail}${customer}; domain ${this.config.domain} is readable`,
        details,
      };
    } catch (error) {
      const known = isPermanentError(error) || isTransientError(error);
      return {
        ok: false,
        message: known ? error.message : `unexpected ${error instanceof Error ? error.name : 'error'} while checking Google`,
      };
    }
  }

  async close(): Promise<void> {
    this.session.close();
  }
}

export const googleConnector = defineConnector({
  type: 'google',
  displayName: 'Google Workspace',
  description:
    'Users, groups and memberships in Google Workspace through the Admin SDK Directory API, as a service account with domain-wide delegation.',
  configSchema: googleConfigSchema,
  secretFields: GOOGLE_SECRET_FIELDS,
  capabilities: {
    users: true,
    groups: true,
    batch: { maxOperations: 1000, eachOperationCounts: true },
    passwords: true,
    read: { groups: true },
  },
  defaultMapping: DEFAULT_USER_MAPPING,
  // Users are looked up by primary email (users.get, which also answers for an alias) or by the organization externalId.
  matching: {
    defaults: [{ remote: 'primaryEmail' }],
    accountNameField: 'primaryEmail',
    fields: ['primaryEmail', 'externalId'],
    caseInsensitive: true,
  },
  defaultGroupMapping: DEFAULT_GROUP_MAPPING,
  create: (config, ctx) => new GoogleConnector(config, ctx),
});
