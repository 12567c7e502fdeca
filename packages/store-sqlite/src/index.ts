// Public API of @provisio/store-sqlite.
export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { migrate, MIGRATIONS } from './migrations.js';
export type { Migration, MigrationContext } from './migrations.js';
export { sqliteStoreModule, sqliteStoreModuleWith } from './sqlite-store-module.js';
export type { SqliteStoreModuleOptions } from './sqlite-store-module.js';
