import {
  provisionSingly,
  TransientError,
  type BatchOperation,
  type BatchOutcome,
  type DeletionResult,
  type RemoteCallOptions,
  type RemoteRef,
} from '@provisio/core';
import { isSuccess, sendBatch, type BatchCall } from './google-batch.js';
import type { GoogleConnector } from './google-connector.js';
import { classifyGoogleFailure } from './google-errors.js';
import { aliasesOf, primaryEmailOf, refOf, remoteNameOf, toInsertBody, toPatchBody, type GoogleUser } from './google-user-mapper.js';

/** One operation turned into one inner call, and how to read its answer. */
interface PlannedCall {
  index: number;
  call: BatchCall;
  operation: string;
  /** Status that also means done (404 on delete: already gone). */
  alsoDone?: number;
  ref: (body: unknown) => RemoteRef | undefined;
  /** Deletes: what remains of the account (a suspended one is reactivated later, not recreated). */
  deletion?: DeletionResult;
}

type Plan = { kind: 'call'; planned: PlannedCall } | { kind: 'done'; outcome: BatchOutcome } | { kind: 'single' };

function plan(connector: GoogleConnector, op: BatchOperation, index: number): Plan {
  const { config } = connector;
  try {
    switch (op.kind) {
      case 'createUser': {
        // Aliases need follow-up calls on the new user's id: such jobs run one by one.
        if (aliasesOf(op.payload.attributes)?.length) return { kind: 'single' };
        const body = toInsertBody(op.payload, config);
        const email = body.primaryEmail as string;
        return {
          kind: 'call',
          planned: {
            index,
            operation: `users.insert ${email}`,
            call: { method: 'POST', path: '/users', body },
            ref: (answer) => refOf(answer as GoogleUser, remoteNameOf(op.payload, email)),
          },
        };
      }
      case 'updateUser': {
        if ('aliases' in op.payload.changed) return { kind: 'single' };
        const body = toPatchBody(op.payload, config);
        const email = primaryEmailOf(op.payload, config.domain);
        const ref: RemoteRef = { remoteId: op.payload.remoteId, ...(email ? { remoteName: remoteNameOf(op.payload, email) } : {}) };
        if (Object.keys(body).length === 0) return { kind: 'done', outcome: { jobId: op.jobId, ok: true, ref } };
        const path = `/users/${encodeURIComponent(op.payload.remoteId)}`;
        return {
          kind: 'call',
          planned: {
            index,
            operation: `users.patch ${email ?? op.payload.remoteId}`,
            call: { method: 'PATCH', path, body },
            ref: () => ref,
          },
        };
      }
      case 'deleteUser': {
        const path = `/users/${encodeURIComponent(op.payload.remoteId)}`;
        const call: BatchCall =
          config.deleteMode === 'delete' ? { method: 'DELETE', path } : { method: 'PATCH', path, body: { suspended: true } };
        return {
          kind: 'call',
          planned: {
            index,
            operation: `${call.method === 'DELETE' ? 'users.delete' : 'users.patch (suspend)'} ${op.payload.remoteId}`,
            call,
            alsoDone: 404,
            ref: () => undefined,
            deletion: { mode: call.method === 'DELETE' ? 'deleted' : 'deactivated' },
          },
        };
      }
    }
  } catch (error) {
    // A payload the mapper rejects fails its own job only.
    return {
      kind: 'done',
      outcome: { jobId: op.jobId, ok: false, error: error instanceof Error ? error : new TransientError(String(error)) },
    };
  }
}

/**
 * Runs user operations through the Directory API batch endpoint (up to 1,000 per request) and
 * maps each part back to its job: a batch never fails as a whole, each job gets its own
 * classified outcome (a duplicate is a ConflictError the pipeline resolves by findUser).
 */
export async function provisionUserBatch(
  connector: GoogleConnector,
  operations: readonly BatchOperation[],
  call: RemoteCallOptions = {},
): Promise<BatchOutcome[]> {
  const outcomes: Array<BatchOutcome | undefined> = operations.map(() => undefined);
  const planned: PlannedCall[] = [];
  const singles: number[] = [];
  operations.forEach((op, index) => {
    const result = plan(connector, op, index);
    if (result.kind === 'done') outcomes[index] = result.outcome;
    else if (result.kind === 'single') singles.push(index);
    else planned.push(result.planned);
  });

  if (planned.length > 0) {
    let results: Awaited<ReturnType<typeof sendBatch>> | undefined;
    let sendError: Error | undefined;
    try {
      results = await sendBatch(
        connector.session,
        planned.map((p) => p.call),
        call.signal,
      );
    } catch (error) {
      sendError = error instanceof Error ? error : new TransientError('the batch request failed');
    }
    planned.forEach((p, position) => {
      const jobId = operations[p.index].jobId;
      const result = results?.[position];
      if (!result) {
        outcomes[p.index] = { jobId, ok: false, error: sendError ?? new TransientError('no answer for this call in the batch') };
      } else if (isSuccess(result) || result.status === p.alsoDone) {
        // A suspend that found the user gone (404) leaves nothing to reactivate.
        const deletion = isSuccess(result) ? p.deletion : p.deletion && { mode: 'deleted' as const };
        const outcome = readRef(jobId, p, isSuccess(result) ? result.body : undefined);
        outcomes[p.index] = outcome.ok && deletion ? { ...outcome, deletion } : outcome;
      } else {
        outcomes[p.index] = { jobId, ok: false, error: classifyGoogleFailure(result, p.operation, connector.session.errorContext) };
      }
    });
  }
  for (const index of singles) outcomes[index] = await provisionSingly(connector, operations[index], call);
  return outcomes.map(
    (outcome, index) => outcome ?? { jobId: operations[index].jobId, ok: false, error: new TransientError('operation was not run') },
  );
}

function readRef(jobId: string, planned: PlannedCall, body: unknown): BatchOutcome {
  try {
    const ref = planned.ref(body);
    return ref ? { jobId, ok: true, ref } : { jobId, ok: true };
  } catch (error) {
    return { jobId, ok: false, error: error instanceof Error ? error : new TransientError(String(error)) };
  }
}
