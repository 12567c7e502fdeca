import { z } from 'zod';
import { JobCounts } from './job-schemas.js';

export const TenantSummary = z.object({
  domain: z.string().meta({ description: 'the tenant domain; its APIs are beneath /t/<domain>/ unless it is the default tenant' }),
  displayName: z.string().nullable(),
  default: z.boolean().meta({ description: 'the default tenant (defaultTenant): its APIs have no /t/ prefix' }),
  users: z.int().nonnegative(),
  groups: z.int().nonnegative(),
  jobs: JobCounts,
});
export const TenantList = z.object({ tenants: z.array(TenantSummary) });
