import type { BatchOperation, BatchOutcome, RemoteRef } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import { BULK_REQUEST_SCHEMA, asObject, type JsonObject } from './scim-dialect.js';
import type { ScimEndpoints } from './scim-endpoints.js';
import type { ScimOperation } from './scim-errors.js';
import type { ScimFeatures, ServiceConfigCache } from './scim-service-config.js';
import type { ScimSession } from './scim-session.js';
import type { ScimUserModel } from './scim-user-model.js';
import { missedFilteredValue, refusesValueFilters, type ScimUsers } from './scim-users.js';
import type { UserWrite } from './scim-user-requests.js';

type Single = (operation: BatchOperation) => Promise<BatchOutcome>;
/** provisionBatch's `report`: each outcome as it lands, so the worker records it before the next request. */
type Report = ((outcome: BatchOutcome) => Promise<void>) | undefined;

/** One operation of a BulkRequest and what its success means for the job. */
interface Planned {
  operation: BatchOperation;
  entry: JsonObject;
  write: UserWrite;
  size: number;
  scimOperation: ScimOperation;
  ok(location: string | undefined): RemoteRef | undefined;
}

// Room for the BulkRequest envelope around the operations.
const ENVELOPE_BYTES = 256;

/** RFC 7644 §3.7: user operations in /Bulk requests within maxOperations and maxPayloadSize. */
export class ScimBulk {
  constructor(
    private readonly session: ScimSession,
    private readonly users: ScimUsers,
    private readonly config: ScimConfig,
    private readonly endpoints: ScimEndpoints,
    private readonly features: ServiceConfigCache,
  ) {}

  /** Operations one request carries now: 1 when the service has no usable /Bulk (each operation is its own call). */
  async limit(): Promise<number> {
    const features = await this.features.get();
    return features.bulk && this.endpoints.bulkUsersPath !== undefined ? Math.max(1, features.maxOperations) : 1;
  }

  /** `signal`: the job's lease deadline, for every /Bulk request (the singles get it from `single`). */
  async provision(operations: BatchOperation[], single: Single, report?: Report, signal?: AbortSignal): Promise<BatchOutcome[]> {
    let features: ScimFeatures;
    try {
      features = await this.features.get();
    } catch (error) {
      return operations.map((op) => ({ jobId: op.jobId, ok: false, error: error as Error }));
    }
    if (!features.bulk || this.endpoints.bulkUsersPath === undefined) return sequential(operations, single, report);
    const outcomes = new Map<string, BatchOutcome>();
    const planned: Planned[] = [];
    const singles: BatchOperation[] = [];
    for (const [index, operation] of operations.entries()) {
      try {
        const model = await this.users.models.forKeys(mappingKeys(operation));
        const plan = this.plan(operation, index, features, model);
        if (plan === 'single') singles.push(operation);
        else if ('done' in plan) outcomes.set(operation.jobId, plan.done);
        else planned.push(plan);
      } catch (error) {
        outcomes.set(operation.jobId, { jobId: operation.jobId, ok: false, error: error as Error });
      }
    }
    for (const chunk of chunks(planned, features)) {
      for (const outcome of await this.send(chunk, single, signal)) {
        // Refused for its value-filtered paths: sent again on its own (whole attributes, or add for a missed value).
        if (outcome === 'again') continue;
        outcomes.set(outcome.jobId, outcome);
        await report?.(outcome);
      }
      for (const p of chunk) if (!outcomes.has(p.operation.jobId)) singles.push(p.operation);
    }
    for (const outcome of await sequential(singles, single, report)) outcomes.set(outcome.jobId, outcome);
    return operations.map(
      (op) => outcomes.get(op.jobId) ?? { jobId: op.jobId, ok: false, error: new Error('no outcome for this operation') },
    );
  }

  /** A bulk entry; 'single' for an operation /Bulk cannot express; `done` when there is nothing to send. */
  private plan(
    operation: BatchOperation,
    index: number,
    features: ScimFeatures,
    model: ScimUserModel,
  ): Planned | 'single' | { done: BatchOutcome } {
    const requests = this.users.requests;
    const path = this.endpoints.bulkUsersPath as string;
    const make = (write: UserWrite, scimOperation: ScimOperation, ok: Planned['ok']): Planned => {
      const entry: JsonObject = {
        method: write.method,
        bulkId: `op${index}`,
        path: write.id === undefined ? path : `${path}/${encodeURIComponent(write.id)}`,
      };
      if (write.body !== undefined) entry['data'] = write.body;
      return { operation, entry, write, scimOperation, ok, size: Buffer.byteLength(JSON.stringify(entry)) + 1 };
    };
    switch (operation.kind) {
      case 'createUser': {
        const name = requests.userName(operation.payload);
        return make(requests.create(model, operation.payload), 'create', (location) => ({
          remoteId: idFromLocation(location),
          remoteName: name,
        }));
      }
      case 'updateUser': {
        const update = operation.payload;
        const ref = { remoteId: update.remoteId, remoteName: requests.userName(update) };
        const write = features.patch
          ? requests.patch(model, update, { valueFilters: features.valueFilters })
          : requests.replace(model, update);
        return write ? make(write, 'update', () => ref) : { done: { jobId: operation.jobId, ok: true, ref } };
      }
      case 'deleteUser':
        if (this.config.deleteMode === 'delete') return make(requests.remove(operation.payload), 'delete', () => undefined);
        // Deactivating without PATCH needs a read first: not expressible in one bulk operation.
        return features.patch ? make(requests.deactivate(model, operation.payload), 'delete', () => undefined) : 'single';
    }
  }

  private async send(chunk: Planned[], single: Single, signal: AbortSignal | undefined): Promise<(BatchOutcome | 'again')[]> {
    const url = `${this.endpoints.root}/Bulk`;
    const call = { method: 'POST', url, operation: 'update' as const, sensitive: chunk.map((p) => p.write.password) };
    const body = { schemas: [BULK_REQUEST_SCHEMA], Operations: chunk.map((p) => p.entry) };
    let response;
    try {
      response = await this.session.send({ ...call, body, signal });
    } catch (error) {
      return chunk.map((p) => ({ jobId: p.operation.jobId, ok: false, error: error as Error }));
    }
    if (response.status === 501 || response.status === 405) this.features.bulkWasRefused();
    if ([501, 405, 413].includes(response.status))
      return sequential(
        chunk.map((p) => p.operation),
        single,
      );
    if (response.status < 200 || response.status >= 300) {
      const error = this.session.errorFor(call, response);
      return chunk.map((p) => ({ jobId: p.operation.jobId, ok: false, error }));
    }
    const results = asObject(response.body)?.['Operations'];
    const list = Array.isArray(results) ? results.map(asObject) : [];
    return chunk.map((p, i) => {
      const result = list.find((r) => r?.['bulkId'] === p.entry['bulkId']) ?? list[i];
      return this.outcome(p, result, call.sensitive);
    });
  }

  private outcome(p: Planned, result: JsonObject | undefined, sensitive: (string | undefined)[]): BatchOutcome | 'again' {
    const jobId = p.operation.jobId;
    if (!result) return { jobId, ok: false, error: new Error(`the BulkResponse has no result for operation ${String(p.entry['bulkId'])}`) };
    const status = statusOf(result['status']);
    if (refusesValueFilters(p.write, status, result['response'])) {
      this.features.valueFiltersWereRefused();
      return 'again';
    }
    // A replaced filtered value the target no longer has: the single update adds it.
    if (missedFilteredValue(p.write, status, result['response'])) return 'again';
    const location = typeof result['location'] === 'string' ? result['location'] : undefined;
    if ((status >= 200 && status < 300) || (status === 404 && p.scimOperation === 'delete')) {
      try {
        const ref = p.ok(location);
        const outcome: BatchOutcome = ref ? { jobId, ok: true, ref } : { jobId, ok: true };
        if (p.operation.kind !== 'deleteUser') return outcome;
        // A deactivated account still exists: a later sync reactivates it instead of creating a twin.
        const deactivated = this.config.deleteMode === 'deactivate' && status !== 404;
        return { ...outcome, deletion: { mode: deactivated ? 'deactivated' : 'deleted' } };
      } catch (error) {
        return { jobId, ok: false, error: error as Error };
      }
    }
    const entryUrl = `${this.endpoints.root}${String(p.entry['path'])}`;
    const error = this.session.errorFor(
      { method: String(p.entry['method']), url: entryUrl, operation: p.scimOperation, sensitive },
      { status, headers: {}, text: '', body: result['response'] },
    );
    return { jobId, ok: false, error };
  }
}

/** The mapping keys an operation writes (they decide whether the target's schema is needed). */
function mappingKeys(operation: BatchOperation): string[] {
  if (operation.kind === 'createUser') return Object.keys(operation.payload.attributes);
  if (operation.kind === 'updateUser') return [...Object.keys(operation.payload.changed), ...Object.keys(operation.payload.attributes)];
  return [];
}

async function sequential(operations: BatchOperation[], single: Single, report?: Report): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const operation of operations) {
    const outcome = await single(operation);
    outcomes.push(outcome);
    await report?.(outcome);
  }
  return outcomes;
}

function chunks(planned: Planned[], features: ScimFeatures): Planned[][] {
  const result: Planned[][] = [];
  let current: Planned[] = [];
  let size = ENVELOPE_BYTES;
  for (const p of planned) {
    if (current.length > 0 && (current.length >= features.maxOperations || size + p.size > features.maxPayloadSize)) {
      result.push(current);
      current = [];
      size = ENVELOPE_BYTES;
    }
    current.push(p);
    size += p.size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** "201", 201 or SCIM 1.1's { code: "201" }. */
function statusOf(value: unknown): number {
  const raw = asObject(value)?.['code'] ?? value;
  const status = Number(raw);
  return Number.isInteger(status) ? status : 0;
}

function idFromLocation(location: string | undefined): string {
  const id = location === undefined ? '' : decodeURIComponent(location.replace(/\/+$/, '').split('/').pop() ?? '');
  if (!id) throw new Error('the BulkResponse reports the user created but gives no location');
  return id;
}
