/** Quarantine states of connector instances, one row each while quarantined (times in epoch ms). */
export const QUARANTINE_SCHEMA_V1: readonly string[] = [
  `CREATE TABLE quarantines (
     instance_id text PRIMARY KEY,
     since bigint NOT NULL,
     reason text NOT NULL,
     next_probe_at bigint NOT NULL,
     probe_count integer NOT NULL DEFAULT 0,
     last_probe_error text
   )`,
];
