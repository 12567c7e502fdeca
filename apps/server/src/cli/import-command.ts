import type { TargetReport } from '@provisio/admin-contract';
import { adminClient, type AdminCommandOptions } from './admin-commands.js';
import type { CliIo } from './commands.js';

export interface ImportCommandOptions extends AdminCommandOptions {
  apply?: boolean;
}

const KINDS: [key: string, label: string][] = [
  ['linked', 'linked'],
  ['alreadyLinked', 'already linked'],
  ['ambiguous', 'ambiguous'],
  ['orphans', 'orphans (remote accounts matching no local identity)'],
  ['unmatchedLocal', 'local identities with no remote account'],
];

/**
 * `provisio import <connector-id> [--apply] [--json]`: link what the target already holds.
 * On a TTY a progress line (read, per second, ETA) and a summary; otherwise, or with --json,
 * the server's NDJSON lines as they come. Ctrl+C closes the request, which stops the run.
 */
export async function importCommand(
  instanceId: string | undefined,
  options: ImportCommandOptions,
  io: CliIo & { progress?: (line: string) => void; tty?: boolean },
): Promise<number> {
  if (!instanceId) {
    io.err('import needs a connector instance id');
    return 2;
  }
  const admin = await adminClient(options, io);
  const ndjson = options.json === true || io.tty !== true;
  let report: TargetReport | undefined;
  let failure: string | undefined;
  await admin.stream(
    'POST',
    `/connectors/${encodeURIComponent(instanceId)}/import`,
    (line) => {
      if (ndjson) io.out(JSON.stringify(line));
      if (line.done) report = line.report as TargetReport;
      else if (line.error) failure = String((line.error as { message?: unknown }).message);
      else if (!ndjson) io.progress?.(progressText(instanceId, line));
    },
    { apply: options.apply === true },
  );
  if (failure) {
    io.err(`import of ${instanceId} failed: ${failure}`);
    return 1;
  }
  if (!report) {
    io.err(`import of ${instanceId} ended without a report`);
    return 1;
  }
  if (!ndjson) {
    io.progress?.('\n');
    io.out(
      `${report.apply ? 'imported' : 'dry run of an import of'} ${instanceId}: ${report.read} remote accounts read (report ${report.id})`,
    );
    for (const [key, label] of KINDS) io.out(`  ${String(report.counts[key] ?? 0).padStart(8)}  ${label}`);
    if (!report.apply) io.out('nothing was written; run again with --apply to write the links');
  }
  return report.status === 'done' ? 0 : 1;
}

function progressText(instanceId: string, line: Record<string, unknown>): string {
  const read = Number(line.read ?? 0);
  const total = line.totalHint === undefined ? '' : ` of ${String(line.totalHint)}`;
  const eta = line.etaSeconds === undefined ? '' : `, ETA ${String(line.etaSeconds)} s`;
  const written = line.phase === 'link' ? `, ${String(line.written)} links written` : '';
  return `importing ${instanceId}: ${read}${total} accounts read, ${String(line.perSecond)}/s${eta}${written}   `;
}
