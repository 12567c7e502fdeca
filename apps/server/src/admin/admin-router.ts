import express, { type Request, type Response, type Router } from 'express';
import { maskSecrets, type AuditEntry, type Clock, type JobStatus, type ProvisioningRuntime, type Store } from '@provisio/core';
import { CredentialVerifier } from '../auth/credential-verifier.js';
import { requireCredentials } from '../auth/require-credentials.js';
import { jobView, linkView } from './admin-views.js';
import { ADMIN_OPENAPI } from './admin-openapi.js';
import { fail, handle, one, pageLimit } from './http-helpers.js';
import { identityRoutes } from './identity-routes.js';
import { provisionOnDemand } from './provision-on-demand.js';
import { throughputPerMinute } from './throughput.js';
import { previewUserSync } from './user-sync-preview.js';

export interface AdminDeps {
  runtime: ProvisioningRuntime;
  store: Store;
  clock: Clock;
  verifier: CredentialVerifier;
  /** Longest a provision-on-demand call waits for its attempt (default 20 s). */
  provisionWaitMs?: number;
}

const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'succeeded', 'failed', 'superseded'];

/** /admin/v1: see and steer provisioning. Documented in admin-openapi.ts (served at /admin/v1/openapi.json). */
export function adminRouter(deps: AdminDeps): Router {
  const { runtime, store, clock } = deps;
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(ADMIN_OPENAPI);
  });
  router.use(requireCredentials(deps.verifier, 'provisio-admin', fail));
  const actorOf = (req: Request) => `admin:${req.principal?.name ?? '?'}`;
  const audit = (req: Request, entry: Omit<AuditEntry, 'at' | 'actor'>) => store.commit({ audit: [{ at: new Date(clock.now()).toISOString(), actor: actorOf(req), ...entry }] });

  // Who is signed in: the console's sign-in check, and whether to offer write actions.
  router.get('/session', (req, res) => {
    res.json({ name: req.principal?.name ?? null, readOnly: req.principal?.readOnly ?? true });
  });

  const target = (req: Request, res: Response) => {
    const found = runtime.target(String(req.params.id));
    if (!found) fail(res, 404, `no enabled connector instance "${String(req.params.id)}"`);
    return found;
  };

  router.get('/connectors', handle(async (_req, res) => {
    const connectors = await Promise.all(
      runtime.targets.map(async (t) => ({
        id: t.id,
        type: t.instance.type,
        displayName: t.instance.definition.displayName,
        mode: t.instance.settings.mode,
        capabilities: t.instance.definition.capabilities,
        jobs: await store.jobCounts(t.id),
      })),
    );
    res.json({ connectors });
  }));

  router.get('/connectors/:id', (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const { settings, definition } = t.instance;
    res.json({
      id: t.id,
      type: t.instance.type,
      displayName: definition.displayName,
      settings: { ...settings, config: maskSecrets(settings.config, definition.secretFields) },
      defaultMapping: definition.defaultMapping ?? {},
      // What the pipeline applies: the manifest's mapping, else the type's default.
      effectiveMapping: Object.keys(settings.mapping).length > 0 ? settings.mapping : (definition.defaultMapping ?? {}),
      capabilities: definition.capabilities,
      previewSupported: typeof t.instance.connector.previewUser === 'function',
    });
  });

  const userByIdOrName = async (value: string | undefined) => (value ? ((await store.getUser(value)) ?? (await store.getUserByUserName(value))) : undefined);

  router.get('/connectors/:id/preview', handle(async (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const record = await userByIdOrName(one(req.query.user));
    if (!record) {
      fail(res, one(req.query.user) ? 404 : 400, one(req.query.user) ? `no user ${String(req.query.user)}` : 'give ?user=<id or userName>');
      return;
    }
    res.json(await previewUserSync(store, t, record));
  }));

  router.post('/connectors/:id/provision', handle(async (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const wanted = one((req.body as { user?: unknown } | undefined)?.user);
    const record = await userByIdOrName(wanted);
    if (!record) {
      fail(res, wanted ? 404 : 400, wanted ? `no user ${wanted}` : 'the body must be {"user": "<id or userName>"}');
      return;
    }
    res.json(await provisionOnDemand({ runtime, store, clock }, t, record, { actor: actorOf(req), waitMs: deps.provisionWaitMs ?? 20000 }));
  }));

  router.get('/throughput', handle(async (req, res) => {
    const minutes = pageLimit(req.query.minutes, 60, 24 * 60);
    res.json(await throughputPerMinute(store, { now: clock.now(), minutes, connector: one(req.query.connector) }));
  }));

  router.get('/connectors/:id/check', handle(async (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const started = clock.now();
    let report;
    try {
      report = await t.instance.connector.check();
    } catch (error) {
      report = { ok: false, message: (error as Error).message };
    }
    res.status(report.ok ? 200 : 503).json({ connector: t.id, ...report, tookMs: clock.now() - started });
  }));

  router.post('/connectors/:id/reconcile', handle(async (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const actor = `admin:${req.principal?.name ?? '?'}`;
    const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
    if (streaming) {
      res.status(200).type('application/x-ndjson');
      const result = await runtime.identities.reconcile(t.id, { actor, onProgress: (scanned) => res.write(`${JSON.stringify({ scanned })}\n`) });
      res.end(`${JSON.stringify({ done: true, ...result })}\n`);
      return;
    }
    res.json(await runtime.identities.reconcile(t.id, { actor }));
  }));

  router.post('/connectors/:id/retry-failed', handle(async (req, res) => {
    const t = target(req, res);
    if (!t) return;
    const retried = await store.retryFailedJobs({ instanceId: t.id }, clock.now());
    if (retried.length > 0) {
      await audit(req, { action: 'retry-failed', entityType: 'connector', entityId: t.id, details: { jobs: retried.length } });
      runtime.events.jobsEnqueued();
    }
    res.json({ retried: retried.length });
  }));

  router.get('/jobs', handle(async (req, res) => {
    const status = one(req.query.status);
    if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus)) {
      fail(res, 400, `status must be one of ${JOB_STATUSES.join(', ')}`);
      return;
    }
    const limit = Math.min(Number(one(req.query.limit) ?? 100) || 100, 1000);
    const jobs = await store.listJobs({ status: status as JobStatus | undefined, instanceId: one(req.query.connector), localId: one(req.query.user) ?? one(req.query.group), limit, before: one(req.query.before) });
    res.json({ jobs: jobs.map(jobView), next: jobs.length === limit ? jobs[jobs.length - 1].id : null });
  }));

  router.get('/jobs/:id', handle(async (req, res) => {
    const job = await store.getJob(req.params.id);
    if (!job) fail(res, 404, `no job ${req.params.id}`);
    else res.json(jobView(job));
  }));

  router.post('/jobs/:id/retry', handle(async (req, res) => {
    const job = await store.getJob(req.params.id);
    if (!job) {
      fail(res, 404, `no job ${req.params.id}`);
      return;
    }
    if (job.status !== 'failed') {
      fail(res, 409, `job ${job.id} is ${job.status}; only failed jobs can be retried`);
      return;
    }
    const [retried] = await store.retryFailedJobs({ jobId: job.id }, clock.now());
    await audit(req, { action: 'retry', entityType: 'job', entityId: job.id, details: { connector: job.instanceId, localId: job.localId } });
    runtime.events.jobsEnqueued();
    res.json(jobView(retried));
  }));

  const links = (entityType: 'user' | 'group') => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const exists = entityType === 'user' ? await store.getUser(id) : await store.getGroup(id);
    const found = await store.linksOf(entityType, id);
    if (!exists && found.length === 0) {
      fail(res, 404, `no ${entityType} ${id}`);
      return;
    }
    res.json(found.map(linkView));
  };
  router.get('/users/:id/links', handle(links('user')));
  router.get('/groups/:id/links', handle(links('group')));

  identityRoutes(router, store);

  router.get('/audit', handle(async (req, res) => {
    const beforeSeq = one(req.query.before) === undefined ? undefined : Number(req.query.before);
    if (beforeSeq !== undefined && !Number.isInteger(beforeSeq)) {
      fail(res, 400, 'before must be an audit seq (integer)');
      return;
    }
    const limit = pageLimit(req.query.limit, 100, 1000);
    const entries = await store.listAudit({ entityId: one(req.query.entity), limit, beforeSeq });
    res.json({ entries, next: entries.length === limit ? entries[entries.length - 1].seq : null });
  }));

  router.use((_req: Request, res: Response) => fail(res, 404, 'no such admin endpoint'));
  return router;
}
