import { definePlugin } from '@provisio/core';
import { salesforceConnector } from './salesforce-connector.js';

export { SalesforceConnector, salesforceConnector } from './salesforce-connector.js';
export { salesforceConfigSchema, DEFAULT_TOKEN_ENDPOINT, ALIAS_MAX_LENGTH } from './salesforce-config.js';
export type { SalesforceConfig, SalesforceConfigInput, SalesforceAuth } from './salesforce-config.js';
export { SALESFORCE_DEFAULT_MAPPING, freedUsername } from './salesforce-user-mapper.js';
export { parseGroupRemoteId } from './salesforce-groups.js';

export default definePlugin({ name: '@provisio/connector-salesforce', connectors: [salesforceConnector] });
