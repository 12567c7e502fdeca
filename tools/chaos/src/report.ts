// The table issue 22 asks for: one row per run and target.
import type { TargetFindings } from './checker.js';

export interface ReportRow {
  run: string;
  kills: number;
  /** Seconds the drain took; undefined when it did not end within its bound. */
  drainedSeconds: number | undefined;
  findings: TargetFindings;
}

const HEADERS = [
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

export function formatTable(rows: readonly ReportRow[]): string {
  const cells = rows.map((r) => [
    r.run,
    String(r.kills),
    r.drainedSeconds === undefined ? 'not drained' : r.drainedSeconds.toFixed(1),
    r.findings.target,
    ...[
      r.findings.missing,
      r.findings.duplicated,
      r.findings.stale,
      r.findings.deletesNotApplied,
      r.findings.stranded,
      r.findings.failed,
      r.findings.lost,
    ].map((l) => String(l.length)),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (i < 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(HEADERS),
    `|${widths.map((w, i) => (i < 4 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
