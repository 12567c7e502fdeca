/**
 * Provisio's record of its jobs: status, attempts, errors, history and the lease
 * of the process running it, for the admin API and the pipeline's decisions.
 * Claiming, per-identity ordering and scheduling are pg-boss's (`boss_id` is the
 * job's current pg-boss job); this table never decides who runs what.
 */
export const JOB_SCHEMA_V1: readonly string[] = [
  `CREATE TABLE jobs (
     id bigserial PRIMARY KEY,
     instance_id text NOT NULL,
     entity_type text NOT NULL,
     local_id text NOT NULL,
     action text NOT NULL,
     reason text NOT NULL,
     status text NOT NULL,
     attempts integer NOT NULL DEFAULT 0,
     max_attempts integer NOT NULL,
     run_at bigint NOT NULL,
     created_at text NOT NULL,
     updated_at text NOT NULL,
     last_error text,
     last_error_kind text,
     claimed_by text,
     lease_until bigint,
     history jsonb NOT NULL DEFAULT '[]'::jsonb,
     boss_id uuid
   )`,
  // Claims find their records by the pg-boss job ids fetched.
  `CREATE UNIQUE INDEX jobs_boss_id ON jobs (boss_id)`,
  `CREATE INDEX jobs_open_by_identity ON jobs (instance_id, entity_type, local_id) WHERE status IN ('pending', 'running')`,
  `CREATE INDEX jobs_pending_run_at ON jobs (run_at) WHERE status = 'pending'`,
  `CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE status = 'running'`,
  `CREATE INDEX jobs_running_worker ON jobs (claimed_by) WHERE status = 'running'`,
  `CREATE INDEX jobs_status_instance ON jobs (status, instance_id, id)`,
  `CREATE INDEX jobs_instance ON jobs (instance_id, id)`,
  `CREATE INDEX jobs_local_id ON jobs (local_id, id)`,
  `CREATE INDEX jobs_user_open ON jobs (local_id) WHERE entity_type = 'user' AND status IN ('pending', 'running')`,
  // One token bucket per connector instance, shared by every process (a target's API limit is global).
  `CREATE TABLE rate_buckets (
     instance_id text PRIMARY KEY,
     tokens double precision NOT NULL,
     updated_at timestamptz NOT NULL
   )`,
];

/**
 * Takeover without loss or twins: `takeovers` counts attempts abandoned by a dead
 * worker (they do not use up max_attempts), `outcome_unknown` makes the next attempt
 * look before acting, `claim_token` fences outcomes to the current claim, and
 * `last_known` lets a delete find the account after the local identity is gone.
 */
export const JOB_SCHEMA_V2: readonly string[] = [
  `ALTER TABLE jobs
     ADD COLUMN takeovers integer NOT NULL DEFAULT 0,
     ADD COLUMN outcome_unknown boolean NOT NULL DEFAULT false,
     ADD COLUMN claim_token text,
     ADD COLUMN last_known jsonb`,
];

/**
 * The accidental-deletion guard: one row per connector instance (tripped since when, counting since
 * the last release or discard), locked by each transaction that plans deprovisioning jobs; and
 * which jobs it counted, indexed for the window's count.
 */
export const JOB_SCHEMA_GUARD: readonly string[] = [
  `CREATE TABLE deprovision_guards (
     instance_id text PRIMARY KEY,
     tripped_at text,
     counting_since text
   )`,
  `ALTER TABLE jobs ADD COLUMN guard_counted boolean NOT NULL DEFAULT false`,
  `CREATE INDEX jobs_guard_window ON jobs (instance_id, created_at) WHERE guard_counted`,
  `CREATE INDEX jobs_held ON jobs (instance_id, id) WHERE status = 'held'`,
];
