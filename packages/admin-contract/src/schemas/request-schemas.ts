import { z } from 'zod';
import { JobStatus } from './job-schemas.js';

// Query values arrive as strings: numbers are coerced, then range-checked.
const pageSize = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .meta({ description: `page size, 1 to ${max} (default ${fallback})` });
const text = (description: string) => z.string().min(1).optional().meta({ description });

export const IdParams = z.object({ id: z.string().min(1) });

export const PreviewQuery = z.object({ user: z.string().min(1).meta({ description: 'user id or userName' }) });
export const ProvisionBody = z.object({ user: z.string().min(1).meta({ description: 'user id or userName' }) });

export const ThroughputQuery = z.object({
  minutes: z.coerce.number().int().min(1).max(1440).optional().meta({ description: 'window in minutes, 1 to 1440 (default 60)' }),
  connector: text('only this connector instance'),
});

export const IdentitySearchQuery = z.object({
  q: text('text in the names people search by, or an exact id / externalId'),
  limit: pageSize(200, 50),
});

export const JobsQuery = z.object({
  status: JobStatus.optional(),
  connector: text('connector instance id'),
  user: text('local user id'),
  group: text('local group id'),
  limit: pageSize(1000, 100),
  before: text('job id from the previous page’s next'),
});

export const AuditQuery = z.object({
  entity: text('only entries about this entity id'),
  limit: pageSize(1000, 100),
  before: z.coerce.number().int().optional().meta({ description: 'seq from the previous page’s next' }),
});

export const ImportBody = z.object({
  apply: z.boolean().optional().meta({ description: 'write the links (default false: a dry run that only reports)' }),
});

export const ReportsQuery = z.object({ limit: pageSize(100, 20) });
