import express, { type Request, type Response, type Router } from 'express';
import {
  ADMIN_ROUTES,
  adminOpenApiDocument,
  type ConnectorDetail,
  type ConnectorSummary,
  type HealthReport,
  type Preview,
  type ProvisionResult,
  type Session,
  type TenantSummary,
} from '@provisio/admin-contract';
import { maskSecrets, type Clock } from '@provisio/core';
import { DeprovisionGuards, type AuditEntry, type ProvisioningRuntime, type Store } from '@provisio/core/engine';
import type { AdminAuthenticator } from '../auth/tenant-admin-gate.js';
import { requireCredentials } from '../auth/require-credentials.js';
import type { TenantDirectory } from './tenant-directory.js';
import { guardView, jobView, linkView, quarantineView } from './admin-views.js';
import { mount } from './contract-routes.js';
import { fail } from './http-helpers.js';
import { identityRoutes } from './identity-routes.js';
import { reportView, runImport } from './import-route.js';
import { provisionOnDemand } from './provision-on-demand.js';
import { throughputPerMinute } from './throughput.js';
import { previewUserSync } from './user-sync-preview.js';

export interface AdminDeps {
  runtime: ProvisioningRuntime;
  store: Store;
  clock: Clock;
  authenticator: AdminAuthenticator;
  /** The default tenant's admin API: every tenant (GET /tenants); absent on a tenant's own, beneath /t/<domain>. */
  tenants?: TenantDirectory;
  /** Longest a provision-on-demand call waits for its attempt (default 20 s). */
  provisionWaitMs?: number;
}

/**
 * /admin/v1: see and steer provisioning. Each route is mounted from
 * @provisio/admin-contract's ADMIN_ROUTES, which also generates the OpenAPI
 * document served at /admin/v1/openapi.json.
 */
export function adminRouter(deps: AdminDeps): Router {
  const { runtime, store, clock } = deps;
  const router = express.Router();
  const document = adminOpenApiDocument();
  mount(router, ADMIN_ROUTES.openApi, (_input, _req, res) => {
    res.json(document);
  });
  router.use(requireCredentials(deps.authenticator, fail));
  const actorOf = (req: Request) => `admin:${req.principal?.name ?? '?'}`;
  const audit = (req: Request, entry: Omit<AuditEntry, 'at' | 'actor'>) =>
    store.commit({ audit: [{ at: new Date(clock.now()).toISOString(), actor: actorOf(req), ...entry }] });

  // Who is signed in: the console's sign-in check, and whether to offer write actions.
  // Every credential the default tenant's admin API lets in is the super admin's; a tenant's marks it (TenantAdminGate).
  const superAdmin = (req: Request) => deps.tenants !== undefined || req.principal?.superAdmin === true;
  mount(router, ADMIN_ROUTES.session, (_input, req, res) => {
    res.json({
      name: req.principal?.name ?? null,
      readOnly: req.principal?.readOnly ?? true,
      tenant: store.tenant,
      superAdmin: superAdmin(req),
    } satisfies Session);
  });

  mount(router, ADMIN_ROUTES.listTenants, async (_input, _req, res) => {
    const directory = deps.tenants;
    if (!directory) return fail(res, 404, 'not found');
    const tenants = await Promise.all(
      directory.tenants.map(async (t): Promise<TenantSummary> => {
        const view = directory.store.forTenant(t.domain);
        return {
          domain: t.domain,
          displayName: t.displayName ?? null,
          default: t.isDefault,
          users: (await view.queryUsers({ count: 0 })).totalResults,
          groups: (await view.queryGroups({ count: 0 })).totalResults,
          jobs: await view.jobCounts(),
        };
      }),
    );
    res.json({ tenants });
  });

  const target = (id: string, res: Response) => {
    const found = runtime.target(id);
    if (!found) fail(res, 404, `no enabled connector instance "${id}"`);
    return found;
  };

  mount(router, ADMIN_ROUTES.listConnectors, async (_input, _req, res) => {
    const quarantined = new Map((await store.quarantines.list()).map((q) => [q.instanceId, q]));
    const connectors = await Promise.all(
      runtime.targets.map(async (t): Promise<ConnectorSummary> => {
        const quarantine = quarantined.get(t.id);
        return {
          id: t.id,
          type: t.instance.type,
          displayName: t.instance.definition.displayName,
          mode: t.instance.settings.mode,
          capabilities: t.instance.definition.capabilities,
          jobs: await store.jobCounts(t.id),
          guardTripped: (await store.deprovisionGuard(t.id)).tripped,
          ...(quarantine ? { quarantine: quarantineView(quarantine) } : {}),
        };
      }),
    );
    res.json({ connectors });
  });

  mount(router, ADMIN_ROUTES.releaseQuarantine, async ({ params }, req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const ended = await runtime.quarantine.release(t.id, actorOf(req));
    if (ended) {
      await audit(req, {
        action: 'quarantine-release',
        entityType: 'connector',
        entityId: t.id,
        details: { since: new Date(ended.since).toISOString(), reason: ended.reason },
      });
    }
    res.json({ connector: t.id, released: ended !== undefined, ...(ended ? { quarantine: quarantineView(ended) } : {}) });
  });

  mount(router, ADMIN_ROUTES.getConnector, ({ params }, _req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const { settings, definition } = t.instance;
    const detail: ConnectorDetail = {
      id: t.id,
      type: t.instance.type,
      displayName: definition.displayName,
      settings: { ...settings, config: maskSecrets(settings.config, definition.secretFields) },
      defaultMapping: definition.defaultMapping ?? {},
      // What the pipeline applies: the manifest's mapping, else the type's default.
      effectiveMapping: Object.keys(settings.mapping).length > 0 ? settings.mapping : (definition.defaultMapping ?? {}),
      capabilities: definition.capabilities,
      previewSupported: typeof t.instance.connector.previewUser === 'function',
    };
    res.json(detail);
  });

  const userByIdOrName = async (value: string) => (await store.getUser(value)) ?? (await store.getUserByUserName(value));

  mount(router, ADMIN_ROUTES.previewUser, async ({ params, query }, _req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const record = await userByIdOrName(query.user);
    if (!record) fail(res, 404, `no user ${query.user}`);
    else res.json((await previewUserSync(store, t, record)) satisfies Preview);
  });

  mount(router, ADMIN_ROUTES.provisionUser, async ({ params, body }, req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const record = await userByIdOrName(body.user);
    if (!record) fail(res, 404, `no user ${body.user}`);
    else
      res.json(
        (await provisionOnDemand({ runtime, store, clock }, t, record, {
          actor: actorOf(req),
          waitMs: deps.provisionWaitMs ?? 20000,
        })) satisfies ProvisionResult,
      );
  });

  const guards = new DeprovisionGuards({ store, events: runtime.events, clock });
  mount(router, ADMIN_ROUTES.getGuard, async ({ params }, _req, res) => {
    const t = target(params.id, res);
    if (t) res.json(guardView(t, await guards.report(t.id)));
  });
  for (const decision of ['release', 'discard'] as const) {
    mount(router, decision === 'release' ? ADMIN_ROUTES.releaseGuard : ADMIN_ROUTES.discardGuard, async ({ params }, req, res) => {
      const t = target(params.id, res);
      if (t) res.json({ connector: t.id, decision, jobs: await guards.resolve(t.id, decision, actorOf(req)) });
    });
  }

  mount(router, ADMIN_ROUTES.throughput, async ({ query }, _req, res) => {
    res.json(await throughputPerMinute(store, { now: clock.now(), minutes: query.minutes ?? 60, connector: query.connector }));
  });

  mount(router, ADMIN_ROUTES.checkConnector, async ({ params }, _req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const started = clock.now();
    let report;
    try {
      report = await t.instance.connector.check();
    } catch (error) {
      report = { ok: false, message: (error as Error).message };
    }
    res.status(report.ok ? 200 : 503).json({ connector: t.id, ...report, tookMs: clock.now() - started } satisfies HealthReport);
  });

  mount(router, ADMIN_ROUTES.reconcile, async ({ params }, req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const actor = actorOf(req);
    const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
    const line = (value: object) => res.write(`${JSON.stringify(value)}\n`);
    if (streaming) res.status(200).type('application/x-ndjson');
    const { report, ...result } = await runtime.reconcile(t, {
      actor,
      onScanned: streaming ? (scanned) => line({ scanned }) : undefined,
      onRead: streaming ? (read) => void line({ read }) : undefined,
    });
    const answer = { ...result, ...(report ? { report: reportView(report) } : {}) };
    if (streaming) res.end(`${JSON.stringify({ done: true, ...answer })}\n`);
    else res.json(answer);
  });

  mount(router, ADMIN_ROUTES.listReconciles, async ({ params, query }, _req, res) => {
    const reports = await store.listTargetReports({ instanceId: params.id, kind: 'reconcile', limit: query.limit ?? 20 });
    res.json({ reports: reports.map(reportView) });
  });

  mount(router, ADMIN_ROUTES.importAccounts, async ({ params, body }, req, res) => {
    await runImport(runtime, params.id, { apply: body.apply === true, actor: actorOf(req) }, req, res);
  });

  mount(router, ADMIN_ROUTES.listImports, async ({ params, query }, _req, res) => {
    const reports = await store.listTargetReports({ instanceId: params.id, kind: 'import', limit: query.limit ?? 20 });
    res.json({ reports: reports.map(reportView) });
  });

  mount(router, ADMIN_ROUTES.retryFailed, async ({ params }, req, res) => {
    const t = target(params.id, res);
    if (!t) return;
    const retried = await store.retryFailedJobs({ instanceId: t.id }, clock.now());
    if (retried.length > 0) {
      await audit(req, { action: 'retry-failed', entityType: 'connector', entityId: t.id, details: { jobs: retried.length } });
      runtime.events.jobsEnqueued();
    }
    res.json({ retried: retried.length });
  });

  mount(router, ADMIN_ROUTES.listJobs, async ({ query }, _req, res) => {
    const limit = query.limit ?? 100;
    const jobs = await store.listJobs({
      status: query.status,
      instanceId: query.connector,
      localId: query.user ?? query.group,
      limit,
      before: query.before,
    });
    res.json({ jobs: jobs.map(jobView), next: jobs.length === limit ? jobs[jobs.length - 1].id : null });
  });

  mount(router, ADMIN_ROUTES.getJob, async ({ params }, _req, res) => {
    const job = await store.getJob(params.id);
    if (!job) fail(res, 404, `no job ${params.id}`);
    else res.json(jobView(job));
  });

  mount(router, ADMIN_ROUTES.retryJob, async ({ params }, req, res) => {
    const job = await store.getJob(params.id);
    if (!job) {
      fail(res, 404, `no job ${params.id}`);
      return;
    }
    if (job.status !== 'failed') {
      fail(res, 409, `job ${job.id} is ${job.status}; only failed jobs can be retried`);
      return;
    }
    const [retried] = await store.retryFailedJobs({ jobId: job.id }, clock.now());
    await audit(req, {
      action: 'retry',
      entityType: 'job',
      entityId: job.id,
      details: { connector: job.instanceId, localId: job.localId },
    });
    runtime.events.jobsEnqueued();
    res.json(jobView(retried));
  });

  const links =
    (entityType: 'user' | 'group') =>
    async ({ params }: { params: { id: string } }, _req: Request, res: Response) => {
      const exists = entityType === 'user' ? await store.getUser(params.id) : await store.getGroup(params.id);
      const found = await store.linksOf(entityType, params.id);
      if (!exists && found.length === 0) fail(res, 404, `no ${entityType} ${params.id}`);
      else res.json(found.map(linkView));
    };
  mount(router, ADMIN_ROUTES.userLinks, links('user'));
  mount(router, ADMIN_ROUTES.groupLinks, links('group'));

  identityRoutes(router, store);

  mount(router, ADMIN_ROUTES.audit, async ({ query }, _req, res) => {
    const limit = query.limit ?? 100;
    const entries = await store.listAudit({ entityId: query.entity, limit, beforeSeq: query.before });
    res.json({ entries, next: entries.length === limit ? entries[entries.length - 1].seq : null });
  });

  router.use((_req: Request, res: Response) => fail(res, 404, 'no such admin endpoint'));
  return router;
}
