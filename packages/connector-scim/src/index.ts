import { definePlugin } from '@provisio/core';
import { scim11Connector, scim2Connector } from './scim-connector-types.js';

export { scim2Connector, scim11Connector, SCIM_DEFAULT_MAPPING, SCIM_DEFAULT_GROUP_MAPPING } from './scim-connector-types.js';
export { ScimConnector } from './scim-connector.js';
export { scimConfigSchema, SCIM_SECRET_FIELDS, type ScimConfig } from './scim-config.js';
export { USER_FIELDS } from './scim-user-fields.js';

export default definePlugin({ name: '@provisio/connector-scim', connectors: [scim2Connector, scim11Connector] });
