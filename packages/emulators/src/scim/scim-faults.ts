// Fault injection in the emulators' common vocabulary (../faults), rendered as SCIM errors, plus the
// settings only a SCIM service has: whether PATCH and Bulk are offered, and a service that advertises
// PATCH but refuses it.
import { FaultSchedule, type FaultScheduleSnapshot } from '../faults/fault-schedule.js';
import type { ScimType } from './scim-errors.js';

export interface ScimFaultSnapshot extends FaultScheduleSnapshot {
  rejectPatchStatus: number | null;
  patchSupported: boolean;
  bulkSupported: boolean;
}

/** How a refused write of one userName is answered. */
export interface UserNameRefusal {
  status: number;
  scimType?: ScimType;
  detail: string;
}

export class ScimFaults extends FaultSchedule {
  /** HTTP status returned for PATCH while rejection is on (the service still advertises what `patchSupported` says). */
  rejectPatchStatus: number | undefined;
  patchSupported: boolean;
  bulkSupported: boolean;
  /** Bumped by expireTokens: tokens of an older generation are refused. */
  tokenGeneration = 0;

  constructor(private readonly defaults: { patchSupported: boolean; bulkSupported: boolean; latencyMs: number }) {
    super({ baseLatencyMs: defaults.latencyMs, expireTokens: () => (this.tokenGeneration += 1) });
    this.patchSupported = defaults.patchSupported;
    this.bulkSupported = defaults.bulkSupported;
  }

  /** PATCH answers `status` while ServiceProviderConfig keeps advertising PATCH (a service that lies); null stops it. */
  rejectPatch(status: number | null = 501): void {
    this.rejectPatchStatus = status ?? undefined;
  }

  setPatchSupported(supported: boolean): void {
    this.patchSupported = supported;
  }

  setBulkSupported(supported: boolean): void {
    this.bulkSupported = supported;
  }

  /** The refusal of a write of this userName, if one is set: 400 invalidValue by default. */
  userNameRefusal(userName: unknown): UserNameRefusal | undefined {
    const refusal = this.refusalOf(userName);
    if (!refusal) return undefined;
    const scimType = (refusal.code as ScimType | undefined) ?? (refusal.status === 400 ? 'invalidValue' : undefined);
    return {
      status: refusal.status,
      ...(scimType ? { scimType } : {}),
      detail: refusal.message ?? `The service refuses userName "${String(userName)}"`,
    };
  }

  override reset(): void {
    super.reset();
    this.rejectPatchStatus = undefined;
    this.patchSupported = this.defaults.patchSupported;
    this.bulkSupported = this.defaults.bulkSupported;
  }

  override snapshot(): ScimFaultSnapshot {
    return {
      ...super.snapshot(),
      rejectPatchStatus: this.rejectPatchStatus ?? null,
      patchSupported: this.patchSupported,
      bulkSupported: this.bulkSupported,
    };
  }
}
