// While the load runs: SIGKILL a random job runner every a–b seconds and start it again, and
// (once, when asked) the API process too. The first kill comes early and stop() kills once if
// none happened yet: a fast load (SQLite finishes 1,000 creates in about 2 s) must still be
// killed under, or the run proves nothing.
import type { Cluster } from './cluster.js';
import type { Random } from './random.js';

export interface KillerOptions {
  cluster: Cluster;
  random: Random;
  /** Seconds between two kills, drawn in [min, max]. */
  everySeconds: [number, number];
  /** Kill and restart the front (API) process once, at the second kill. */
  killFrontOnce: boolean;
  log?: (line: string) => void;
}

export interface Killer {
  /** Stops killing and waits until every killed process listens again; resolves with the kill count. */
  stop(): Promise<number>;
}

export function startKiller(options: KillerOptions): Killer {
  const { cluster, random } = options;
  let stopped = false;
  let kills = 0;
  let frontKilled = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const killOneRunner = async (): Promise<boolean> => {
    const runners = cluster.liveRunners();
    if (runners.length === 0) return false; // every runner is still starting again
    const victim = random.pick(runners);
    options.log?.(`killing job runner ${victim} (pid ${cluster.runnerPid(victim)}) at ${new Date().toISOString().slice(11, 23)}`);
    await cluster.killRunner(victim);
    return true;
  };
  const loop = (async () => {
    let first = true;
    while (!stopped) {
      const [min, max] = first ? [250, options.everySeconds[0] * 500] : [options.everySeconds[0] * 1000, options.everySeconds[1] * 1000];
      first = false;
      await pause(random.between(min, max));
      if (stopped) break;
      if (options.killFrontOnce && !frontKilled && kills === 1 && cluster.layout.front === 'api') {
        frontKilled = true;
        options.log?.('killing the api process');
        await cluster.killFront();
      } else if (!(await killOneRunner())) {
        continue;
      }
      kills += 1;
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      if (kills === 0) {
        await cluster.settled();
        if (await killOneRunner()) kills += 1;
      }
      await cluster.settled();
      return kills;
    },
  };
}

/** While the load runs, one fault burst on a target every a–b seconds. */
export function startFaultInjector(
  inject: () => string,
  random: Random,
  everySeconds: [number, number],
  log?: (line: string) => void,
): { stop(): number } {
  let injected = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(
      () => {
        log?.(inject());
        injected += 1;
        schedule();
      },
      random.between(everySeconds[0] * 1000, everySeconds[1] * 1000),
    );
  };
  schedule();
  return {
    stop: () => {
      clearTimeout(timer);
      return injected;
    },
  };
}
