import type { BatchOperation, BatchOutcome, OutboundConnector } from './outbound-connector.js';
import type { RemoteCallOptions } from './remote-call.js';

/**
 * One batch operation through the connector's single-call methods, with its own
 * outcome: the fallback a batching connector uses for operations its batch API
 * cannot carry (or when the target refuses batches).
 */
export async function provisionSingly(
  connector: OutboundConnector,
  operation: BatchOperation,
  call: RemoteCallOptions = {},
): Promise<BatchOutcome> {
  try {
    if (operation.kind === 'createUser')
      return { jobId: operation.jobId, ok: true, ref: await connector.createUser(operation.payload, call) };
    if (operation.kind === 'updateUser') {
      const ref = await connector.updateUser(operation.payload, call);
      return ref ? { jobId: operation.jobId, ok: true, ref } : { jobId: operation.jobId, ok: true };
    }
    const deletion = await connector.deleteUser(operation.payload, call);
    return deletion ? { jobId: operation.jobId, ok: true, deletion } : { jobId: operation.jobId, ok: true };
  } catch (error) {
    return { jobId: operation.jobId, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
