import { definePlugin } from '@provisio/core';
import { googleConnector } from './google-connector.js';

export { GoogleConnector, googleConnector } from './google-connector.js';
export { googleConfigSchema, DEFAULT_SCOPES, GOOGLE_SECRET_FIELDS } from './google-config.js';
export type { GoogleConfig, GoogleConfigInput } from './google-config.js';
export { DEFAULT_USER_MAPPING, DEFAULT_GROUP_MAPPING } from './google-default-mapping.js';
export { USER_FIELDS } from './google-user-mapper.js';
export { GROUP_FIELDS } from './google-group-mapper.js';

export default definePlugin({ name: '@provisio/connector-google', connectors: [googleConnector] });
