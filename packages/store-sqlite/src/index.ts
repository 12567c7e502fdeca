// Public API of @provisio/store-sqlite.
export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { migrate, MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { sqliteStoreModule } from './sqlite-store-module.js';
