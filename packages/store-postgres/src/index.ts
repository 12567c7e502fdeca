// Public API of @provisio/store-postgres.
export { PostgresStore } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { queueSchemaOf } from './store-connection.js';
export { MIGRATIONS } from './migrate-schema.js';
export type { Migration } from './migrate-schema.js';
export { queueName } from './job-queue.js';
export { postgresStoreModule, postgresStoreModuleWith, postgresStoreOptions } from './postgres-store-module.js';
export type { PostgresStoreModuleOptions } from './postgres-store-module.js';
