// Public API of @provisio/store-sql: SQL text shared by the SQL stores (no database driver).
export { param, raw, render, renderPositional, sql, Sql } from './sql-text.js';
export type { Param } from './sql-text.js';
export type { Column, EntityTable, MultiValued, ValueKind } from './entity-table.js';
export { POSTGRES, SQLITE } from './sql-dialect.js';
export type { SqlDialect } from './sql-dialect.js';
export { FilterCompiler } from './filter-compiler.js';
export type { Condition, SortColumn } from './filter-compiler.js';
export { identityRowMappers, POSTGRES_COLUMNS, SQLITE_COLUMNS } from './identity-rows.js';
export type { AuditRow, ColumnDecoder, GroupRow, IdentityRowMappers, LinkRow, MemberRow, UserRow } from './identity-rows.js';
export { identityTables } from './identity-tables.js';
export type { IdentityTableSpelling } from './identity-tables.js';
export { assertCurrentClaim, finishedJobColumns, recordedOutcome } from './job-outcomes.js';
export type { ClaimedJobRow, ClaimOutcome, RecordedOutcome } from './job-outcomes.js';
export { countingFrom, guardStateOf, holdGuarded, isTripped } from './guard-rows.js';
export type { GuardCounts, GuardRow } from './guard-rows.js';
export { toQuarantine } from './quarantine-rows.js';
export type { QuarantineRow } from './quarantine-rows.js';
