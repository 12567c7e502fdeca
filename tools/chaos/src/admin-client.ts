// The admin API as the checker reads it: job counts per connector and every job record.

export interface JobView {
  id: string;
  connector: string;
  entityType: string;
  localId: string;
  action: 'sync' | 'delete';
  reason: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'superseded';
  attempts: number;
  createdAt: string;
  updatedAt: string;
  lastError: string | null;
  history: { attempt: number; startedAt: string; finishedAt?: string; outcome?: string; error?: string }[];
}

export type JobCounts = Record<JobView['status'], number>;

export class AdminClient {
  constructor(
    private readonly url: () => Promise<string>,
    private readonly token: string,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${await this.url()}/admin/v1${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(30000),
    });
    if (response.status !== 200)
      throw new Error(`GET /admin/v1${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }

  async jobCounts(): Promise<Record<string, JobCounts>> {
    const body = await this.get<{ connectors: { id: string; jobs: JobCounts }[] }>('/connectors');
    return Object.fromEntries(body.connectors.map((c) => [c.id, c.jobs]));
  }

  /** Every job of one connector, newest first, 1,000 a page (bounded: 1,000 pages). */
  async jobs(connector: string): Promise<JobView[]> {
    const all: JobView[] = [];
    let before: string | null = null;
    for (let page = 0; page < 1000; page += 1) {
      const query = `?connector=${encodeURIComponent(connector)}&limit=1000${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const body: { jobs: JobView[]; next: string | null } = await this.get(`/jobs${query}`);
      all.push(...body.jobs);
      if (!body.next) return all;
      before = body.next;
    }
    throw new Error(`more than 1,000 pages of jobs for ${connector}`);
  }
}

/** Polls until no connector has a pending or running job, bounded; returns the seconds it took, or undefined. */
export async function waitForDrain(admin: AdminClient, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  for (;;) {
    try {
      const counts = Object.values(await admin.jobCounts());
      if (counts.every((c) => c.pending === 0 && c.running === 0)) return (Date.now() - started) / 1000;
    } catch {
      // the front may be restarting; ask again
    }
    if (Date.now() - started > timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
