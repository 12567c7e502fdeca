// The processes of one deployment: the one that serves SCIM and the admin API, and those that
// run jobs (on SQLite one `--role all` process is both). A killed process is started again in
// the background, so kills keep their pace however slow a start is.
import { startServer, type ServerProcess, type ServerRole, type ServerSpec } from './server-process.js';

export interface ClusterLayout {
  /** `api` (PostgreSQL) or `all` (SQLite, which allows one process). */
  front: Exclude<ServerRole, 'worker'>;
  workers: number;
}

type Slot = { process: ServerProcess | undefined; restarting: Promise<void> | undefined };

export class Cluster {
  private readonly front: Slot = { process: undefined, restarting: undefined };
  private readonly workers: Slot[] = [];
  /** Output of processes that were killed, for the report when a run fails. */
  readonly pastOutput: string[] = [];
  /** A restart that failed (the process would not start again): the run cannot be trusted. */
  private restartError: Error | undefined;

  constructor(
    private readonly base: Omit<ServerSpec, 'role'>,
    readonly layout: ClusterLayout,
  ) {}

  async start(): Promise<void> {
    // The front first: it migrates the schema, so the workers start on a ready database.
    this.front.process = await startServer({ ...this.base, role: this.layout.front });
    const workers = await Promise.all(Array.from({ length: this.layout.workers }, () => startServer({ ...this.base, role: 'worker' })));
    this.workers.push(...workers.map((process) => ({ process, restarting: undefined })));
  }

  /** The slots whose process runs jobs and is up now: the workers, or the single `all` process. */
  liveRunners(): number[] {
    const slots = this.layout.front === 'all' ? [this.front] : this.workers;
    return slots.flatMap((slot, index) => (slot.process ? [index] : []));
  }

  /** The pid of the job runner in slot `index` (its workers' ids carry it), if it is up. */
  runnerPid(index: number): number | undefined {
    return (this.layout.front === 'all' ? this.front : this.workers[index])?.process?.pid;
  }

  /** SIGKILL the job runner in slot `index` and start it again in the background. */
  async killRunner(index: number): Promise<void> {
    await this.kill(
      this.layout.front === 'all' ? this.front : this.workers[index],
      this.layout.front === 'all' ? this.layout.front : 'worker',
    );
  }

  async killFront(): Promise<void> {
    await this.kill(this.front, this.layout.front);
  }

  private async kill(slot: Slot, role: ServerRole): Promise<void> {
    const victim = slot.process;
    if (!victim) return;
    slot.process = undefined;
    await victim.kill();
    this.pastOutput.push(`--- killed ${role} ${victim.pid}\n${victim.output()}`);
    slot.restarting = startServer({ ...this.base, role }).then(
      (process) => {
        slot.process = process;
        slot.restarting = undefined;
      },
      (error: Error) => {
        this.restartError = error;
        slot.restarting = undefined;
      },
    );
  }

  /** Where SCIM and the admin API answer; waits (bounded) while the front restarts on a new port. */
  async waitForFront(timeoutMs = 120000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.front.process) {
      if (this.restartError) throw this.restartError;
      if (Date.now() > deadline) throw new Error(`the ${this.layout.front} process did not come back within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.front.process.url;
  }

  /** Resolves once every killed process listens again; throws if one would not start. */
  async settled(): Promise<void> {
    await Promise.all([this.front, ...this.workers].map((slot) => slot.restarting));
    if (this.restartError) throw this.restartError;
  }

  /** The latest output of every live process. */
  output(): string {
    return [this.front, ...this.workers]
      .map((slot) => (slot.process ? `--- ${slot.process.spec.role} ${slot.process.pid}\n${slot.process.output()}` : ''))
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.front, ...this.workers].map((slot) => slot.restarting));
    await Promise.all([this.front, ...this.workers].map((slot) => slot.process?.stop()));
  }
}
