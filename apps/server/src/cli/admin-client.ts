/** What the admin CLI commands use to talk to a running server's /admin/v1. */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const response = await this.send(method, path, { accept: 'application/json' });
    return (await response.json()) as T;
  }

  /** For streamed (NDJSON) answers: calls `onLine` for each JSON line. */
  async stream(method: 'POST', path: string, onLine: (value: Record<string, unknown>) => void, body?: unknown): Promise<void> {
    const response = await this.send(method, path, { accept: 'application/x-ndjson' }, body);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body ?? []) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) onLine(JSON.parse(line) as Record<string, unknown>);
      }
    }
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/admin/v1${path}`, {
        method,
        headers: this.headers(body === undefined ? headers : { ...headers, 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the Provisio server at ${this.baseUrl} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}); is it running? (--server URL)`,
      );
    }
    if (!response.ok && response.status !== 503) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      const hint = response.status === 401 ? ' (set PROVISIO_ADMIN_TOKEN or --token)' : '';
      throw new Error(`${method} ${path}: ${response.status} ${body.error?.message ?? response.statusText}${hint}`);
    }
    return response;
  }
}
