import { z } from 'zod';
import { Instant } from './common.js';

export const Session = z.object({
  name: z.string().nullable(),
  readOnly: z.boolean(),
  tenant: z.string().meta({ description: 'the tenant this admin API serves' }),
  superAdmin: z.boolean().meta({ description: 'the credential sees every tenant (GET /tenants, /t/<domain>/admin/v1)' }),
});

export const MinuteBucket = z.object({
  minute: Instant.meta({ description: 'start of the minute' }),
  succeeded: z.int().nonnegative(),
  failed: z.int().nonnegative().meta({ description: 'attempts that failed for good' }),
  retried: z.int().nonnegative().meta({ description: 'attempts that failed and will be retried' }),
});
export const Throughput = z.object({
  from: Instant,
  to: Instant,
  connector: z.string().nullable(),
  buckets: z.array(MinuteBucket),
  truncated: z.boolean().meta({ description: 'the scan stopped at its bound before reaching jobs older than the window' }),
});

export const AuditEntry = z.object({
  seq: z.int(),
  at: Instant,
  actor: z.string().meta({ description: 'scim:<name>, admin:<name>, system...' }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  next: z.int().nullable().meta({ description: 'pass as ?before= for the next page; null on the last page' }),
});

/** /openapi.json: this document. */
export const OpenApiDocument = z.looseObject({ openapi: z.string() });
