import { createLogger, loadConfiguration, startServer, type RunningServer } from '../src/index.js';
import { writeManifestDir } from './test-manifest.js';

export interface InProcessServer extends RunningServer {
  /** The folder holding the manifest (and the SQLite file). */
  dir: string;
}

/**
 * A real Provisio server in the test's process, from a manifest written to a
 * fresh folder (plus any side files it references, e.g. keys for ${file:...}).
 * Fails loudly when the manifest has problems.
 */
export async function startInProcessServer(
  manifestYaml: string,
  options: {
    env?: NodeJS.ProcessEnv;
    files?: Record<string, string>;
    prefix?: string;
    /** Collects the server's log lines (level info and up) instead of dropping them. */
    logLines?: string[];
    /** Runs on the manifest's folder before the server starts (e.g. puts a store file where the manifest points). */
    beforeStart?: (dir: string) => void;
  } = {},
): Promise<InProcessServer> {
  const { dir, manifestPath } = writeManifestDir(options.prefix ?? 'provisio-test-', () => manifestYaml, options.files);
  options.beforeStart?.(dir);
  const configuration = await loadConfiguration({ manifestPath, cwd: dir, env: options.env ?? {} });
  if (configuration.problems.length > 0) throw new Error(`manifest problems: ${JSON.stringify(configuration.problems)}`);
  const lines = options.logLines;
  const { logger } = lines
    ? createLogger({ level: 'info', secrets: configuration.secretValues, destination: { write: (line: string) => void lines.push(line) } })
    : createLogger({ level: 'silent', secrets: configuration.secretValues });
  const server = await startServer(configuration, logger);
  return Object.assign(server, { dir });
}

/** Waits (bounded) until no job is pending or running; optionally fails on failed jobs, naming them. */
export async function settleJobs(
  server: RunningServer,
  options: { timeoutMs?: number; failOnFailed?: boolean; tenant?: string } = {},
): Promise<void> {
  const runtime = options.tenant === undefined ? server.runtime : server.runtimeOf(options.tenant);
  if (!runtime) throw new Error(`no tenant ${options.tenant}`);
  const store = runtime.options.store;
  const deadline = Date.now() + (options.timeoutMs ?? 20000);
  while (Date.now() < deadline) {
    const counts = await store.jobCounts();
    if (counts.pending === 0 && counts.running === 0) {
      if (options.failOnFailed) {
        const failed = await store.listJobs({ status: 'failed' });
        if (failed.length > 0) throw new Error(`failed jobs: ${failed.map((j) => `${j.instanceId}: ${j.lastError}`).join('; ')}`);
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`jobs did not settle: ${JSON.stringify(await store.jobCounts())}`);
}
