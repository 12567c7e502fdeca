import { definePlugin } from '@provisio/core';
import { restDirectoryConnector } from './rest-directory-connector.js';

export { restDirectoryConnector };

export default definePlugin({ name: 'provisio-connector-rest-directory', connectors: [restDirectoryConnector] });
