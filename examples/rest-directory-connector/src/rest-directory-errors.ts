import { ConflictError, PermanentError, TransientError } from '@provisio/core';

/** HTTP status of the directory → how Provisio should treat it. */
export async function errorFromResponse(response: Response, action: string): Promise<Error> {
  const detail = (await response.text()).slice(0, 300);
  const message = `${action}: HTTP ${response.status} ${detail}`;
  if (response.status === 409) return new ConflictError(message, { remoteCode: 409 });
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return new TransientError(message, { remoteCode: response.status, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined });
  }
  return new PermanentError(message, { remoteCode: response.status });
}
