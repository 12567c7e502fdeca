/** The headers by which Provisio names the job, claim and worker a request was sent for. */
const ORIGIN_HEADERS = ['x-provisio-job', 'x-provisio-worker'] as const;

/**
 * Who sent a request, as the emulators record it beside each write ("<job>.<claim> worker-<pid>-<uuid>"), or
 * undefined for a request that names nobody. The headers never carry secrets.
 */
export function requestOrigin(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const named = ORIGIN_HEADERS.map((name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  }).filter((value): value is string => value !== undefined && value !== '');
  return named.length > 0 ? named.join(' ') : undefined;
}
