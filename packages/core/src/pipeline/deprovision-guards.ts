import type { Clock } from '../clock.js';
import type { DeprovisionGuardState, JobRecord } from '../store/records.js';
import type { GuardDecision, Store } from '../store/store-ports.js';
import type { JobEvents } from './job-events.js';

/** An instance's guard as an operator sees it: its state, how many jobs it holds, and some of them. */
export interface GuardReport extends DeprovisionGuardState {
  held: number;
  /** The oldest held jobs (who would be removed and why: `reason`, `lastKnown`). */
  sample: JobRecord[];
}

const SAMPLE_SIZE = 20;

/** The operator's side of the accidental-deletion guard: look, then release or discard. */
export class DeprovisionGuards {
  constructor(private readonly deps: { store: Store; events: JobEvents; clock: Clock }) {}

  async report(instanceId: string): Promise<GuardReport> {
    const { store } = this.deps;
    const [state, counts, newest] = await Promise.all([
      store.deprovisionGuard(instanceId),
      store.jobCounts(instanceId),
      store.listJobs({ status: 'held', instanceId, limit: SAMPLE_SIZE }),
    ]);
    return { ...state, held: counts.held, sample: newest };
  }

  /** Releases (sends, once) or discards the held jobs; audited with `actor`. Returns how many. */
  async resolve(instanceId: string, decision: GuardDecision, actor: string): Promise<number> {
    const now = this.deps.clock.now();
    const at = new Date(now).toISOString();
    const jobs = await this.deps.store.resolveHeldJobs(instanceId, decision, now, {
      at,
      actor,
      action: `connector.guard.${decision}`,
      entityType: 'connector',
      entityId: instanceId,
    });
    if (decision === 'release' && jobs > 0) this.deps.events.jobsEnqueued();
    this.deps.events.guardResolved({ instanceId, decision, jobs, actor, at });
    return jobs;
  }
}
