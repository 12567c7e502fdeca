/** A connector instance in quarantine: its jobs wait while a probe checks the target now and then. */
export interface QuarantineRecord {
  instanceId: string;
  /** Epoch ms it entered quarantine. */
  since: number;
  /** Why, for the overview: `authentication refused: ...` (scrubbed of secrets). */
  reason: string;
  /** Epoch ms of the next probe. */
  nextProbeAt: number;
  /** Probes run so far (all failed while it is still quarantined). */
  probeCount: number;
  lastProbeError?: string;
}

/**
 * Quarantine states in the store, so they survive a restart and every process
 * sharing the store sees the same ones. The probe is taken by moving `nextProbeAt`
 * ahead in one statement: of several processes, one probes.
 */
export interface QuarantineStates {
  list(): Promise<QuarantineRecord[]>;
  get(instanceId: string): Promise<QuarantineRecord | undefined>;
  /** Starts a quarantine unless the instance is in one; true when this call started it. */
  enter(record: QuarantineRecord): Promise<boolean>;
  /**
   * Takes a due probe: when `nextProbeAt <= now`, moves it to `leaseUntil` (no other
   * process probes meanwhile) and returns the record as it was; otherwise undefined.
   */
  takeProbe(instanceId: string, now: number, leaseUntil: number): Promise<QuarantineRecord | undefined>;
  /** A probe failed: one more probe counted, the next one at `nextProbeAt`. */
  probeFailed(instanceId: string, nextProbeAt: number, error: string): Promise<void>;
  /** Ends the quarantine; the record it ended, or undefined when there was none (another process ended it). */
  leave(instanceId: string): Promise<QuarantineRecord | undefined>;
}

/** The in-memory store's states (also the reference the contract cases check the others against). */
export class InMemoryQuarantineStates implements QuarantineStates {
  private readonly states = new Map<string, QuarantineRecord>();

  async list(): Promise<QuarantineRecord[]> {
    return [...this.states.values()].map((r) => ({ ...r })).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  }

  async get(instanceId: string): Promise<QuarantineRecord | undefined> {
    const record = this.states.get(instanceId);
    return record && { ...record };
  }

  async enter(record: QuarantineRecord): Promise<boolean> {
    if (this.states.has(record.instanceId)) return false;
    this.states.set(record.instanceId, { ...record });
    return true;
  }

  async takeProbe(instanceId: string, now: number, leaseUntil: number): Promise<QuarantineRecord | undefined> {
    const record = this.states.get(instanceId);
    if (!record || record.nextProbeAt > now) return undefined;
    const taken = { ...record };
    record.nextProbeAt = leaseUntil;
    return taken;
  }

  async probeFailed(instanceId: string, nextProbeAt: number, error: string): Promise<void> {
    const record = this.states.get(instanceId);
    if (!record) return;
    record.probeCount += 1;
    record.nextProbeAt = nextProbeAt;
    record.lastProbeError = error;
  }

  async leave(instanceId: string): Promise<QuarantineRecord | undefined> {
    const record = this.states.get(instanceId);
    this.states.delete(instanceId);
    return record;
  }
}
