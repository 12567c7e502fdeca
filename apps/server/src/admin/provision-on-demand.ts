import type { Clock } from '@provisio/core';
import type { JobRecord, ProvisioningRuntime, ProvisioningTarget, Store, UserRecord } from '@provisio/core/engine';
import { jobView, linkView } from './admin-views.js';
import { previewUserSync } from './user-sync-preview.js';

export interface ProvisionStep {
  step: string;
  status: 'ok' | 'failed' | 'skipped' | 'waiting';
  detail: string;
  data?: unknown;
}

export interface ProvisionResult {
  connector: string;
  user: { id: string; userName: string };
  outcome: 'succeeded' | 'failed' | 'retrying' | 'skipped' | 'waiting';
  steps: ProvisionStep[];
  job: ReturnType<typeof jobView> | null;
}

const FINAL: readonly JobRecord['status'][] = ['succeeded', 'failed', 'superseded'];

/**
 * Entra's "provision on demand": queue a sync of one user to one instance now,
 * through the real pipeline (same worker, retries, link), and report each step.
 * Waits at most `waitMs` for the attempt; a worker in another process works too
 * (the store is polled as well as this process's job events).
 */
export async function provisionOnDemand(
  deps: { runtime: ProvisioningRuntime; store: Store; clock: Clock },
  target: ProvisioningTarget,
  record: UserRecord,
  options: { actor: string; waitMs: number },
): Promise<ProvisionResult> {
  const { store, runtime, clock } = deps;
  const user = { id: record.id, userName: record.userName };
  const steps: ProvisionStep[] = [{ step: 'Find the user', status: 'ok', detail: `${record.userName} (${record.id})` }];
  const result = (outcome: ProvisionResult['outcome'], job: JobRecord | null = null): ProvisionResult => ({
    connector: target.id,
    user,
    outcome,
    steps,
    job: job && jobView(job),
  });

  const preview = await previewUserSync(store, target, record);
  steps.push({
    step: 'Check scope',
    status: preview.inScope ? 'ok' : 'skipped',
    detail: preview.inScope ? 'in scope' : `out of scope (${target.instance.settings.scope ?? 'scope'}): nothing is provisioned`,
  });
  if (!preview.inScope) return result('skipped');
  steps.push({
    step: 'Map attributes',
    status: preview.error?.startsWith('mapping failed') ? 'failed' : 'ok',
    detail: preview.error?.startsWith('mapping failed')
      ? preview.error
      : `${Object.keys(preview.attributes ?? {}).length} remote fields${preview.accountName ? `; account name ${preview.accountName}` : ''}`,
    data: { attributes: preview.attributes, accountName: preview.accountName },
  });
  const linkDetail = preview.link?.remoteId
    ? `linked to ${preview.link.remoteId} (${preview.link.status}): ${preview.operation === 'none' ? 'already up to date' : preview.operation}`
    : 'no remote account yet: create';
  steps.push({ step: 'Look up the link', status: 'ok', detail: linkDetail, data: preview.link });

  const now = clock.now();
  await store.commit({
    jobs: [
      {
        instanceId: target.id,
        entityType: 'user',
        localId: record.id,
        action: 'sync',
        reason: 'on demand',
        maxAttempts: target.instance.settings.retry.maxAttempts,
        runAt: now,
      },
    ],
    audit: [
      {
        at: new Date(now).toISOString(),
        actor: options.actor,
        action: 'provision-on-demand',
        entityType: 'user',
        entityId: record.id,
        details: { connector: target.id },
      },
    ],
  });
  const [queued] = await store.listJobs({ instanceId: target.id, localId: record.id, limit: 1 });
  steps.push({ step: 'Queue a sync job', status: 'ok', detail: `job ${queued.id}` });
  runtime.events.jobsEnqueued();

  const job = await waitForAttempt(deps, queued.id, options.waitMs);
  if (!job || job.status === 'running' || (job.status === 'pending' && !job.history.some((h) => h.finishedAt !== undefined))) {
    steps.push({
      step: 'Send to the target',
      status: 'waiting',
      detail: `the job is still ${job?.status ?? 'queued'}; follow job ${queued.id} under Jobs`,
    });
    return result('waiting', job ?? queued);
  }
  const last = job.history[job.history.length - 1];
  if (job.status === 'succeeded') {
    const what = preview.operation === 'none' ? 'already up to date, nothing sent' : preview.operation;
    steps.push({ step: 'Send to the target', status: 'ok', detail: `attempt ${job.attempts} succeeded (${what})`, data: preview.requests });
    const link = await store.getLink(target.id, 'user', record.id);
    steps.push({
      step: 'Update the link',
      status: 'ok',
      detail: link?.remoteId ? `remote id ${link.remoteId}` : 'no remote account',
      data: link && linkView(link),
    });
    return result('succeeded', job);
  }
  if (job.status === 'superseded') {
    steps.push({ step: 'Send to the target', status: 'skipped', detail: 'a newer change of this user replaced the job' });
    return result('skipped', job);
  }
  const retrying = job.status === 'pending';
  steps.push({
    step: 'Send to the target',
    status: 'failed',
    detail: `${last?.error ?? job.lastError ?? 'failed'}${retrying ? `; retry ${job.attempts + 1} of ${job.maxAttempts} at ${new Date(job.runAt).toISOString()}` : ''}`,
  });
  return result(retrying ? 'retrying' : 'failed', job);
}

/** The job once its first attempt here is over (or undefined), bounded by `waitMs`. */
async function waitForAttempt(
  deps: { runtime: ProvisioningRuntime; store: Store },
  jobId: string,
  waitMs: number,
): Promise<JobRecord | undefined> {
  const deadline = Date.now() + waitMs;
  let wake: () => void = () => undefined;
  const off = deps.runtime.events.onJobFinished((event) => {
    if (event.job.id === jobId) wake();
  });
  try {
    let job = await deps.store.getJob(jobId);
    while (job && Date.now() < deadline) {
      const attempted = job.history.some((h) => h.finishedAt !== undefined);
      if (FINAL.includes(job.status) || (job.status === 'pending' && attempted)) return job;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      job = await deps.store.getJob(jobId);
    }
    return job;
  } finally {
    off();
  }
}
