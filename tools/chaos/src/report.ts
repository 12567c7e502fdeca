// The table issue 22 asks for: one row per run and target.
import { findingLists, type TargetFindings } from './checker.js';

export interface ReportRow {
  run: string;
  kills: number;
  /** Seconds the drain took; undefined when it did not end within its bound. */
  drainedSeconds: number | undefined;
  findings: TargetFindings;
}

/** The table's columns: the run, then one count per kind of finding. */
export const REPORT_HEADERS = [
  'run',
  'kills',
  'drained (s)',
  'target',
  'missing',
  'duplicated',
  'stale',
  'deletes not applied',
  'stranded',
  'failed',
  'succeeded w/o effect',
];

/** A row's counts, in REPORT_HEADERS' order from 'missing' on. */
export function findingCounts(findings: TargetFindings): number[] {
  return findingLists(findings).map((l) => l.length);
}

export function formatTable(rows: readonly ReportRow[]): string {
  const cells = rows.map((r) => [
    r.run,
    String(r.kills),
    r.drainedSeconds === undefined ? 'not drained' : r.drainedSeconds.toFixed(1),
    r.findings.target,
    ...findingCounts(r.findings).map(String),
  ]);
  const widths = REPORT_HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (i < 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(REPORT_HEADERS),
    `|${widths.map((w, i) => (i < 4 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
