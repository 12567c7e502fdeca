import { PermanentError, type ProvisioningError } from '@provisio/core';
import type { SalesforceConfig } from './salesforce-config.js';
import { classifyFailure } from './salesforce-errors.js';
import type { SalesforceSession } from './salesforce-session.js';

/** What happened to one record of a multi-record write; a write of many never fails as a whole. */
export type RecordOutcome = { ok: true; id: string } | { ok: false; code: string; error: ProvisioningError };

export type RecordFields = Record<string, unknown>;

/** sObject Collections take at most 200 records per call. */
export const COLLECTION_LIMIT = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function failed(error: unknown): RecordOutcome {
  const known = error as ProvisioningError;
  const code = typeof known.remoteCode === 'string' ? known.remoteCode : String(known.remoteCode ?? 'ERROR');
  return { ok: false, code, error: known };
}

/**
 * Creates, updates and deletes many records of one type: through sObject Collections
 * (200 per call, allOrNone false, one outcome per record) or, when `useCollections` is
 * off, one call per record. Either way the caller gets one outcome per input, in order.
 */
export class RecordWriter {
  constructor(
    private readonly session: SalesforceSession,
    private readonly config: SalesforceConfig,
  ) {}

  /** `signal` (every method): the jobs' lease deadline, after which no request of the write leaves. */
  create(type: string, records: readonly RecordFields[], signal?: AbortSignal): Promise<RecordOutcome[]> {
    if (!this.config.useCollections)
      return this.oneByOne(records, (r) =>
        this.session
          .request<{ id: string }>(
            { method: 'POST', path: `sobjects/${type}`, body: r },
            { action: `create ${type}`, sentFields: Object.keys(r), signal },
          )
          .then((res) => res.id),
      );
    return this.collections('POST', type, records, (r) => ({ attributes: { type }, ...r }), `create ${type}`, signal);
  }

  /** Each record carries its `Id`. */
  update(type: string, records: readonly RecordFields[], signal?: AbortSignal): Promise<RecordOutcome[]> {
    if (!this.config.useCollections) {
      return this.oneByOne(records, async ({ Id, ...fields }) => {
        await this.session.request(
          { method: 'PATCH', path: `sobjects/${type}/${String(Id)}`, body: fields },
          { action: `update ${type} ${String(Id)}`, sentFields: Object.keys(fields), signal },
        );
        return String(Id);
      });
    }
    return this.collections(
      'PATCH',
      type,
      records,
      ({ Id, ...fields }) => ({ attributes: { type }, id: Id, ...fields }),
      `update ${type}`,
      signal,
    );
  }

  async remove(type: string, ids: readonly string[], signal?: AbortSignal): Promise<RecordOutcome[]> {
    if (!this.config.useCollections) {
      return this.oneByOne(ids, async (id) => {
        await this.session.request({ method: 'DELETE', path: `sobjects/${type}/${id}` }, { action: `delete ${type} ${id}`, signal });
        return id;
      });
    }
    const outcomes: RecordOutcome[] = [];
    for (const chunk of chunks(ids, COLLECTION_LIMIT)) {
      const path = `composite/sobjects?ids=${chunk.map(encodeURIComponent).join(',')}&allOrNone=false`;
      try {
        const results = await this.session.request<SaveResult[]>({ method: 'DELETE', path }, { action: `delete ${type}`, signal });
        outcomes.push(...chunk.map((id, i) => this.outcomeOf(results[i], id, `delete ${type} ${id}`, [])));
      } catch (error) {
        outcomes.push(...chunk.map(() => failed(error)));
      }
    }
    return outcomes;
  }

  private async collections(
    method: 'POST' | 'PATCH',
    type: string,
    records: readonly RecordFields[],
    shape: (record: RecordFields) => RecordFields,
    action: string,
    signal: AbortSignal | undefined,
  ): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    for (const chunk of chunks(records, COLLECTION_LIMIT)) {
      try {
        const results = await this.session.request<SaveResult[]>(
          { method, path: 'composite/sobjects', body: { allOrNone: false, records: chunk.map(shape) } },
          { action, signal },
        );
        outcomes.push(
          ...chunk.map((record, i) =>
            this.outcomeOf(results[i], typeof record['Id'] === 'string' ? record['Id'] : '', action, Object.keys(record)),
          ),
        );
      } catch (error) {
        // The whole call failed (limit, 503, network): every record of it shares the error.
        outcomes.push(...chunk.map(() => failed(error)));
      }
    }
    return outcomes;
  }

  private outcomeOf(result: SaveResult | undefined, fallbackId: string, action: string, sentFields: string[]): RecordOutcome {
    if (!result) return failed(new PermanentError(`Salesforce answered ${action} without a result for this record`));
    if (result.success) return { ok: true, id: result.id ?? fallbackId };
    const first = result.errors?.[0];
    const code = first?.statusCode ?? 'UNKNOWN_EXCEPTION';
    const error = classifyFailure(
      { errorCode: code, message: this.session.scrub(first?.message ?? 'no message'), fields: first?.fields ?? [] },
      { action, sentFields },
    );
    return { ok: false, code, error };
  }

  private async oneByOne<T>(items: readonly T[], write: (item: T) => Promise<string>): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    for (const item of items) {
      try {
        outcomes.push({ ok: true, id: await write(item) });
      } catch (error) {
        outcomes.push(failed(error));
      }
    }
    return outcomes;
  }
}
