import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { adminRouter } from '../admin/admin-router.js';
import { ADMIN_AUTHENTICATOR, TENANT_DIRECTORY } from './generation-module.js';

/**
 * /admin/v1 (see admin-router.ts) over the generation's runtime and store: the default tenant's (with the tenant
 * directory: GET /tenants), or a tenant's beneath /t/<domain>.
 */
export const adminApiModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.HttpMount)).toDynamicValue(async (context) => ({
    path: '/admin/v1',
    router: adminRouter({
      runtime: await context.getAsync(asServiceId(TOKENS.ProvisioningRuntime)),
      store: await context.getAsync(asServiceId(TOKENS.Store)),
      clock: context.get(asServiceId(TOKENS.Clock)),
      authenticator: context.get(asServiceId(ADMIN_AUTHENTICATOR)),
      tenants: await context.getAsync(asServiceId(TENANT_DIRECTORY), { optional: true }),
    }),
  }));
});
