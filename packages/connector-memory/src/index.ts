import { definePlugin } from '@provisio/core';
import { memoryConnector } from './memory-connector.js';

export { MemoryConnector, memoryConnector } from './memory-connector.js';
export type { MemoryConfig } from './memory-config.js';
export type { ReceivedOperation, MemoryAccount } from './memory-directory.js';

export default definePlugin({ name: '@provisio/connector-memory', connectors: [memoryConnector] });
