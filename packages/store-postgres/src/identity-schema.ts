/**
 * Version 1 of the identity tables: users, groups and their members, links,
 * pending passwords and the audit trail. Table names are unqualified: the
 * migration runner executes these in order, in one transaction, with
 * `search_path` set to the store's schema.
 *
 * Choices that the query code relies on:
 * - Every text column that is compared or sorted is `COLLATE "C"`: SCIM orders
 *   strings by code unit (like JavaScript), not by the database's locale, and a
 *   "C" btree also serves `LIKE 'prefix%'` for `sw`.
 * - Case-insensitive attributes have a `*_lower` column filled by JavaScript's
 *   `toLowerCase`, the same function core's filter evaluator uses; PostgreSQL's
 *   `lower()` under "C" lower-cases ASCII only, so an expression index would disagree.
 * - `seq` (bigserial) is the insertion order: the order of a list without sortBy
 *   and the tie-breaker of every sort. An upsert keeps it.
 * - Dates are stored twice: the record's text as written (returned as is, sorted
 *   as SCIM sorts strings) and epoch milliseconds (`*_ms`, `Date.parse`, like core's
 *   filter) for chronological `gt`/`lt` filters.
 * - Emails live in an index table rather than behind a GIN index on
 *   `resource->'emails'`: GIN answers only exact containment, while SCIM needs
 *   case-insensitive `eq`, `sw`, ranges, attribute names in any case and SCIM 1.1
 *   plain-string emails; a btree over lower-cased values answers all of those.
 * - Resources are JSONB (compact, validated). Link attributes are `json`, which keeps
 *   key order: the job executor compares them with JSON.stringify to find changes.
 */
/** What users and groups both keep: the resource, its version, and its dates (as written and in epoch ms). */
const RESOURCE_COLUMNS = `resource jsonb NOT NULL,
    version integer NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    created_ms bigint,
    updated_ms bigint`;

export const IDENTITY_SCHEMA_V1: string[] = [
  `CREATE TABLE users (
    id text COLLATE "C" PRIMARY KEY,
    seq bigserial NOT NULL,
    user_name text NOT NULL,
    user_name_lower text COLLATE "C" NOT NULL CONSTRAINT users_user_name_unique UNIQUE,
    external_id text COLLATE "C",
    display_name_lower text COLLATE "C",
    email_sort text COLLATE "C",
    active boolean NOT NULL,
    ${RESOURCE_COLUMNS},
    password_hash text
  )`,
  `CREATE UNIQUE INDEX users_seq ON users (seq)`,
  `CREATE INDEX users_external_id ON users (external_id)`,
  `CREATE INDEX users_display_name_lower ON users (display_name_lower)`,
  // (active, seq): "active eq true" pages in insertion order straight from the index.
  `CREATE INDEX users_active ON users (active, seq)`,
  `CREATE INDEX users_created_ms ON users (created_ms)`,
  `CREATE INDEX users_updated_ms ON users (updated_ms)`,

  `CREATE TABLE user_emails (
    user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position integer NOT NULL,
    value_lower text COLLATE "C",
    type_lower text COLLATE "C",
    is_primary boolean,
    present boolean NOT NULL,
    PRIMARY KEY (user_id, position)
  )`,
  `CREATE INDEX user_emails_value ON user_emails (value_lower)`,

  `CREATE TABLE groups (
    id text COLLATE "C" PRIMARY KEY,
    seq bigserial NOT NULL,
    id_lower text COLLATE "C" NOT NULL,
    display_name text COLLATE "C" NOT NULL CONSTRAINT groups_display_name_unique UNIQUE,
    display_name_lower text COLLATE "C" NOT NULL,
    external_id text COLLATE "C",
    ${RESOURCE_COLUMNS}
  )`,
  `CREATE UNIQUE INDEX groups_seq ON groups (seq)`,
  `CREATE INDEX groups_id_lower ON groups (id_lower)`,
  `CREATE INDEX groups_display_name_lower ON groups (display_name_lower)`,
  `CREATE INDEX groups_external_id ON groups (external_id)`,
  `CREATE INDEX groups_updated_ms ON groups (updated_ms)`,

  // Keyed by position, not member: a member listed twice is stored as given.
  `CREATE TABLE group_members (
    group_id text COLLATE "C" NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    position integer NOT NULL,
    member_id text COLLATE "C" NOT NULL,
    member_id_lower text COLLATE "C" NOT NULL,
    display text,
    display_lower text COLLATE "C",
    type text,
    type_lower text COLLATE "C",
    PRIMARY KEY (group_id, position)
  )`,
  `CREATE INDEX group_members_member ON group_members (member_id)`,
  `CREATE INDEX group_members_member_lower ON group_members (member_id_lower)`,

  `CREATE TABLE links (
    instance_id text COLLATE "C" NOT NULL,
    entity_type text COLLATE "C" NOT NULL,
    local_id text COLLATE "C" NOT NULL,
    remote_id text,
    remote_name text,
    status text NOT NULL,
    last_error text,
    last_synced_at text,
    synced_attributes json,
    synced_members json,
    remote_active boolean,
    PRIMARY KEY (instance_id, entity_type, local_id)
  )`,
  `CREATE INDEX links_local ON links (entity_type, local_id)`,

  // No foreign key to users (as in SQLite): the row goes with the user's delete or when its jobs finish.
  `CREATE TABLE pending_passwords (
    user_id text COLLATE "C" PRIMARY KEY,
    sealed text NOT NULL
  )`,

  `CREATE TABLE audit (
    seq bigserial PRIMARY KEY,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    details jsonb
  )`,
  `CREATE INDEX audit_entity ON audit (entity_id, seq)`,
];
