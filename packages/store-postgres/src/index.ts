// Public API of @provisio/store-postgres.
export { PostgresStore, queueSchemaOf } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { MIGRATIONS } from './migrate-schema.js';
export type { Migration } from './migrate-schema.js';
export { queueName } from './job-queue.js';
export { postgresStoreModule, postgresStoreOptions } from './postgres-store-module.js';
