// The processes of one deployment: the one that serves SCIM and the admin API, and those that
// run jobs (on SQLite one `--role all` process is both). Killed processes are started again.
import { startServer, type ServerProcess, type ServerRole, type ServerSpec } from './server-process.js';

export interface ClusterLayout {
  /** `api` (PostgreSQL) or `all` (SQLite, which allows one process). */
  front: Exclude<ServerRole, 'worker'>;
  workers: number;
}

export class Cluster {
  private frontProcess: ServerProcess | undefined;
  private readonly workerProcesses: ServerProcess[] = [];
  /** Output of processes that were killed, for the report when a run fails. */
  readonly pastOutput: string[] = [];

  constructor(
    private readonly base: Omit<ServerSpec, 'role'>,
    readonly layout: ClusterLayout,
  ) {}

  async start(): Promise<void> {
    // The front first: it migrates the schema, so the workers start on a ready database.
    this.frontProcess = await startServer({ ...this.base, role: this.layout.front });
    const workers = await Promise.all(Array.from({ length: this.layout.workers }, () => startServer({ ...this.base, role: 'worker' })));
    this.workerProcesses.push(...workers);
  }

  /** Where SCIM and the admin API answer now (a restarted process listens on a new port). */
  frontUrl(): string {
    if (!this.frontProcess) throw new Error('the cluster is not started');
    return this.frontProcess.url;
  }

  /** The processes that run jobs: the workers, or the single `all` process. */
  jobRunners(): number {
    return this.layout.front === 'all' ? 1 : this.workerProcesses.length;
  }

  /** SIGKILL the i-th job runner and start it again; resolves once it listens. */
  async killAndRestartRunner(index: number): Promise<void> {
    if (this.layout.front === 'all') return this.killAndRestartFront();
    const victim = this.workerProcesses[index];
    await victim.kill();
    this.pastOutput.push(victim.output());
    this.workerProcesses[index] = await startServer({ ...this.base, role: 'worker' });
  }

  async killAndRestartFront(): Promise<void> {
    const victim = this.frontProcess;
    if (!victim) throw new Error('the cluster is not started');
    this.frontProcess = undefined;
    await victim.kill();
    this.pastOutput.push(victim.output());
    this.frontProcess = await startServer({ ...this.base, role: this.layout.front });
  }

  /** The front may be down (mid-restart) for a moment: wait for it, bounded. */
  async waitForFront(timeoutMs = 90000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.frontProcess) {
      if (Date.now() > deadline) throw new Error(`the ${this.layout.front} process did not come back within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.frontProcess.url;
  }

  /** Is the front up at this moment? (undefined while it restarts) */
  currentFrontUrl(): string | undefined {
    return this.frontProcess?.url;
  }

  /** The latest output of every live process. */
  output(): string {
    return [this.frontProcess, ...this.workerProcesses].map((p) => (p ? `--- ${p.spec.role} ${p.pid}\n${p.output()}` : '')).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([this.frontProcess, ...this.workerProcesses].map((p) => p?.stop()));
  }
}
