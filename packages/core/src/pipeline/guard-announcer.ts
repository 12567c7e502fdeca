import type { PublishOperatorEvent } from '../notifications/operator-events.js';
import type { Store } from '../store/store-ports.js';
import type { ProvisioningTarget } from './provisioning-target.js';
import type { GuardTriggeredEvent } from './safety-events.js';

/**
 * Tells operators that an instance's accidental-deletion guard tripped: one `guard.triggered`
 * message per trip, sent by the process whose commit tripped it (JobEvents.guardTriggered).
 */
export function announceGuardTrips(deps: {
  store: Store;
  targets: readonly ProvisioningTarget[];
  publish: PublishOperatorEvent;
}): (event: GuardTriggeredEvent) => Promise<void> {
  return async (event) => {
    const guard = deps.targets.find((t) => t.id === event.instanceId)?.guard;
    // The count is read after the tripping commit: it includes the job that tripped the guard.
    const held = (await deps.store.jobCounts(event.instanceId).catch(() => undefined))?.held ?? 0;
    const limit = [
      guard?.maxCount === undefined ? '' : String(guard.maxCount),
      guard?.maxPercent === undefined ? '' : `${guard.maxPercent} %`,
    ]
      .filter(Boolean)
      .join(' or ');
    const windowSeconds = Math.round((guard?.windowMs ?? 0) / 1000);
    deps.publish({
      kind: 'guard.triggered',
      severity: 'error',
      connectorId: event.instanceId,
      message: `${event.instanceId}: the deletion guard tripped (more than ${limit} deprovisionings in ${windowSeconds} s); ${held} job(s) held until an operator releases or discards them`,
      details: { held, threshold: limit, windowSeconds },
    });
  };
}
