// The slice of newman's programmatic API the conformance test uses (newman ships no types).
declare module 'newman' {
  interface NewmanRunOptions {
    collection: object;
    folder?: string[];
    envVar?: { key: string; value: string }[];
    timeoutRequest?: number;
    reporters?: string[];
  }
  interface NewmanRunFailure {
    source?: { name?: string };
    error: { test?: string; message: string };
  }
  interface NewmanRunSummary {
    run: { failures: NewmanRunFailure[]; stats: { requests: { total: number }; assertions: { total: number } } };
  }
  const newman: { run(options: NewmanRunOptions, callback: (error: Error | null, summary: NewmanRunSummary) => void): void };
  export default newman;
  export type { NewmanRunOptions, NewmanRunSummary };
}
