// POST /batch/admin/directory_v1: runs each inner request through the Directory API pipeline,
// so every part counts against quotas and sees injected faults, as at Google.
import { formatBatchResponse, boundaryOf, parseBatch } from './google-batch.js';
import type { GoogleDirectoryApi } from './google-directory-api.js';
import { toErrorResponse } from './google-directory-api.js';
import { googleErrors } from './google-errors.js';
import { type ApiRequest, type ApiResponse, notFoundPage } from './google-http-types.js';
import type { GoogleDirectoryState } from './google-state.js';

export const BATCH_PATHS = ['/batch/admin/directory_v1', '/batch/admin/directory/v1', '/batch'];
const NO_PARTS = 'Invalid multipart request with 0 mime parts.';

export function handleBatch(req: ApiRequest, api: GoogleDirectoryApi, state: GoogleDirectoryState): ApiResponse {
  try {
    if (req.method !== 'POST') return notFoundPage();
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) throw googleErrors.badRequest(NO_PARTS);
    const parts = parseBatch(req.body, boundary);
    if (parts.length === 0) throw googleErrors.badRequest(NO_PARTS);
    state.batchRequests++;
    const answers = parts.map(({ contentId, request }) => {
      const response = request ? api.handle(inheritAuthorization(request, req), true) : toErrorResponse(googleErrors.badRequest());
      return { ...(contentId === undefined ? {} : { contentId }), response };
    });
    const formatted = formatBatchResponse(answers);
    return { status: 200, text: { body: formatted.body, contentType: `multipart/mixed; boundary=${formatted.boundary}` } };
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** Inner requests without their own Authorization use the outer request's; they carry its X-Provisio headers too. */
function inheritAuthorization(inner: ApiRequest, outer: ApiRequest): ApiRequest {
  const inherited: Record<string, string | undefined> = {};
  for (const name of ['authorization', 'x-provisio-job', 'x-provisio-worker'])
    if (!inner.headers[name] && outer.headers[name]) inherited[name] = outer.headers[name];
  return Object.keys(inherited).length === 0 ? inner : { ...inner, headers: { ...inner.headers, ...inherited } };
}
