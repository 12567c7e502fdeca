import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { mountsRouter, type Mount } from './http-server.js';

/** One tenant's routers beneath /t/<domain>/, by mount path (its SCIM paths, admin API and console). */
export type TenantMounts = ReadonlyMap<string, RequestHandler>;

export const tenantMountsOf = (mounts: readonly Mount[]): TenantMounts => new Map(mounts.map((mount) => [mount.path, mount.router]));

const TENANT_MOUNTS = 'tenantMounts';

/**
 * The routes beneath /t/<domain>/ of every tenant: one route table with each path any tenant mounts, handing the
 * request to the router its tenant has there (see serveTenant), or on when it has none. One table and one set of
 * body parsers for all tenants instead of a router tree each: express walks the same layers for every request,
 * which keeps a request to one of a hundred tenants as cheap as one to a single tenant (docs/benchmarks.md, tenants).
 */
export function sharedTenantRouter(tenants: readonly (readonly Mount[])[], bodyLimit: string): RequestHandler {
  const paths = new Map<string, Mount>();
  for (const mounts of tenants) for (const mount of mounts) if (!paths.has(mount.path)) paths.set(mount.path, mount);
  return mountsRouter(
    [...paths.values()].map((mount) => ({ path: mount.path, parseJson: mount.parseJson, router: tenantRouterAt(mount.path) })),
    bodyLimit,
  );
}

function tenantRouterAt(path: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const own = (res.locals[TENANT_MOUNTS] as TenantMounts).get(path);
    if (own) own(req, res, next);
    else next();
  };
}

/** Answers a request beneath /t/<domain>/ with `shared` (sharedTenantRouter) for the tenant whose mounts these are. */
export function serveTenant(mounts: TenantMounts, shared: RequestHandler, req: Request, res: Response, next: NextFunction): void {
  res.locals[TENANT_MOUNTS] = mounts;
  shared(req, res, next);
}
