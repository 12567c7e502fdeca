import type { BatchOperation, BatchOutcome, ProvisioningError } from '@provisio/core';
import type { RecordOutcome, RecordWriter } from './record-writer.js';
import type { SalesforceConfig } from './salesforce-config.js';
import type { SalesforceLookups } from './salesforce-lookups.js';
import { userChangesForUpdate, userRecordForCreate, type UserRecord } from './salesforce-user-mapper.js';
import { isMissingCode, userGone, type SalesforceUsers } from './salesforce-users.js';

type Op<K extends BatchOperation['kind']> = Extract<BatchOperation, { kind: K }>;

/** A prepared write: its record, or the error that stopped it before any call. */
type Prepared<T> = { op: T; record: UserRecord } | { op: T; error: unknown };

function prepare<T>(op: T, build: () => UserRecord): Prepared<T> {
  try {
    return { op, record: build() };
  } catch (error) {
    return { op, error };
  }
}

const failure = (jobId: string, error: unknown): BatchOutcome => ({
  jobId,
  ok: false,
  error: error instanceof Error ? error : new Error(String(error)),
});

/**
 * provisionBatch over sObject Collections: creates in one kind of call, updates and
 * deactivations in another, 200 records each, allOrNone false; every job gets its own
 * outcome, in the order given.
 */
export class SalesforceBatch {
  constructor(
    private readonly users: SalesforceUsers,
    private readonly writer: RecordWriter,
    private readonly config: SalesforceConfig,
    private readonly lookups: SalesforceLookups,
  ) {}

  /**
   * `report`: each outcome as soon as its collection request has answered, before the next request goes out.
   * `signal`: the jobs' lease deadline; no request of the batch leaves after it (another worker may own them then).
   */
  async run(
    operations: BatchOperation[],
    report?: (outcome: BatchOutcome) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<BatchOutcome[]> {
    const outcomes = new Map<string, BatchOutcome>();
    const creates = operations.filter((o): o is Op<'createUser'> => o.kind === 'createUser');
    const updates = operations.filter((o): o is Op<'updateUser'> => o.kind === 'updateUser');
    const deletes = operations.filter((o): o is Op<'deleteUser'> => o.kind === 'deleteUser');
    // The names of every lookup field of the batch, in as few queries as they take (a failure fails the batch).
    await this.lookups.prefetch([...creates.map((o) => o.payload.attributes), ...updates.map((o) => o.payload.changed)], signal);
    const phases = [() => this.create(creates, signal), () => this.update(updates, signal), () => this.deactivate(deletes, signal)];
    for (const phase of phases) {
      for (const outcome of await phase()) {
        outcomes.set(outcome.jobId, outcome);
        await report?.(outcome);
      }
    }
    return operations.map((op) => outcomes.get(op.jobId) ?? failure(op.jobId, new Error('no outcome')));
  }

  private async create(ops: Op<'createUser'>[], signal?: AbortSignal): Promise<BatchOutcome[]> {
    const prepared = ops.map((op) =>
      prepare(op, () => userRecordForCreate({ ...op.payload, attributes: this.lookups.resolveCached(op.payload.attributes) }, this.config)),
    );
    return this.write(
      prepared,
      (records) => this.writer.create('User', records, signal),
      async ({ op, record }, outcome) => {
        if (!outcome.ok) return failure(op.jobId, await this.users.explainDuplicate(outcome.error, record, signal));
        if (op.payload.password !== undefined) await this.users.setPassword(outcome.id, op.payload.password, 'was created', signal);
        return { jobId: op.jobId, ok: true, ref: { remoteId: outcome.id, remoteName: usernameIn(record) } };
      },
    );
  }

  private async update(ops: Op<'updateUser'>[], signal?: AbortSignal): Promise<BatchOutcome[]> {
    const prepared = ops.map((op) =>
      prepare(op, () => ({
        Id: op.payload.remoteId,
        ...userChangesForUpdate({ ...op.payload, changed: this.lookups.resolveCached(op.payload.changed) }, this.config),
      })),
    );
    // Nothing to write (only a password, or no change at all): no record in the collection.
    const empty = prepared.filter((p) => 'record' in p && Object.keys(p.record).length === 1);
    const outcomes = await this.write(
      prepared.filter((p) => !empty.includes(p)),
      (records) => this.writer.update('User', records, signal),
      async ({ op, record }, outcome) => this.afterUpdate(op, record, outcome, signal),
    );
    for (const p of empty)
      if ('record' in p) outcomes.push(await this.afterUpdate(p.op, p.record, { ok: true, id: p.op.payload.remoteId }, signal));
    return outcomes;
  }

  private async afterUpdate(op: Op<'updateUser'>, record: UserRecord, outcome: RecordOutcome, signal?: AbortSignal): Promise<BatchOutcome> {
    if (!outcome.ok) return failure(op.jobId, isMissingCode(outcome.code) ? userGone(op.payload.remoteId, outcome.error) : outcome.error);
    if (op.payload.password !== undefined) await this.users.setPassword(op.payload.remoteId, op.payload.password, 'was updated', signal);
    return { jobId: op.jobId, ok: true, ref: { remoteId: op.payload.remoteId, remoteName: usernameIn(record) ?? op.payload.accountName } };
  }

  /** Deactivated accounts still exist: the outcome says so, and a later sync reactivates them. */
  private async deactivate(ops: Op<'deleteUser'>[], signal?: AbortSignal): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    const prepared: Prepared<Op<'deleteUser'>>[] = [];
    for (const op of ops) {
      try {
        const changes = await this.users.deactivationChanges(op.payload.remoteId, signal);
        if (changes === 'missing') outcomes.push({ jobId: op.jobId, ok: true });
        else if (changes === 'done')
          outcomes.push({ jobId: op.jobId, ok: true, ref: { remoteId: op.payload.remoteId }, deletion: { mode: 'deactivated' } });
        else prepared.push({ op, record: { Id: op.payload.remoteId, ...changes } });
      } catch (error) {
        outcomes.push(failure(op.jobId, error));
      }
    }
    outcomes.push(
      ...(await this.write(
        prepared,
        (records) => this.writer.update('User', records, signal),
        async ({ op }, outcome) => {
          if (outcome.ok) return { jobId: op.jobId, ok: true, ref: { remoteId: op.payload.remoteId }, deletion: { mode: 'deactivated' } };
          return isMissingCode(outcome.code) ? { jobId: op.jobId, ok: true } : failure(op.jobId, outcome.error);
        },
      )),
    );
    return outcomes;
  }

  /** Sends the prepared records in one multi-record write and turns each record's outcome into the job's. */
  private async write<T extends { jobId: string }>(
    prepared: Prepared<T>[],
    send: (records: UserRecord[]) => Promise<RecordOutcome[]>,
    finish: (item: { op: T; record: UserRecord }, outcome: RecordOutcome) => Promise<BatchOutcome>,
  ): Promise<BatchOutcome[]> {
    const ready = prepared.filter((p): p is { op: T; record: UserRecord } => 'record' in p);
    const results = ready.length > 0 ? await send(ready.map((p) => p.record)) : [];
    const outcomes: BatchOutcome[] = prepared
      .filter((p): p is { op: T; error: unknown } => 'error' in p)
      .map((p) => failure(p.op.jobId, p.error));
    for (const [i, item] of ready.entries()) {
      try {
        outcomes.push(await finish(item, results[i]));
      } catch (error) {
        outcomes.push(failure(item.op.jobId, error as ProvisioningError));
      }
    }
    return outcomes;
  }
}

function usernameIn(record: UserRecord): string | undefined {
  const value = record['Username'];
  return typeof value === 'string' ? value : undefined;
}
