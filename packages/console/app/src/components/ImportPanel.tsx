import { useState } from 'react';
import type { AdminApi } from '../lib/api.js';
import { useLoad } from '../hooks.js';
import type { TargetReport } from '../lib/types.js';
import { Ago, Badge, DataTable, ErrorNote, WriteButton } from './ui.js';

const KINDS: [key: string, label: string][] = [
  ['linked', 'Linked'],
  ['alreadyLinked', 'Already linked'],
  ['ambiguous', 'Ambiguous'],
  ['orphans', 'Orphans'],
  ['unmatchedLocal', 'Local, no account'],
];

/** Import on a connector page: a dry run or an apply (never writes to the target), and the reports of earlier runs. */
export function ImportPanel({ api, id, readOnly }: { api: AdminApi; id: string; readOnly: boolean }) {
  const reports = useLoad(() => api.imports(id), `imports:${id}`);
  const [busy, setBusy] = useState<'dry' | 'apply'>();
  const [error, setError] = useState<string>();
  const [last, setLast] = useState<TargetReport>();

  const run = async (apply: boolean) => {
    setBusy(apply ? 'apply' : 'dry');
    setError(undefined);
    try {
      setLast(await api.runImport(id, apply));
      reports.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const shown = last ?? reports.data?.reports[0];
  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import existing accounts</h2>
      <p className="muted">
        Reads the whole target and links each account that matches exactly one local identity by the match rules. Nothing is written to the
        target; a dry run writes nothing at all.
      </p>
      <div className="inline-form">
        <button type="button" disabled={busy !== undefined} onClick={() => void run(false)}>
          {busy === 'dry' ? 'Reading the target…' : 'Dry run'}
        </button>
        <WriteButton readOnly={readOnly} disabled={busy !== undefined} onClick={() => void run(true)}>
          {busy === 'apply' ? 'Importing…' : 'Import and link'}
        </WriteButton>
      </div>
      <ErrorNote error={error ?? reports.error} />
      {shown ? <ReportView report={shown} /> : null}
      {reports.data && reports.data.reports.length > 0 ? (
        <DataTable
          label="Earlier imports"
          caption="Earlier imports, newest first"
          columns={['Started', 'Status', 'Mode', 'Read', ...KINDS.map(([, label]) => label)]}
        >
          {reports.data.reports.map((r) => (
            <tr key={r.id}>
              <td>
                <Ago iso={r.startedAt} />
              </td>
              <td>
                <Badge status={r.status === 'done' ? 'succeeded' : r.status === 'failed' ? 'failed' : 'pending'} label={r.status} />
              </td>
              <td>{r.apply ? 'apply' : 'dry run'}</td>
              <td>{r.read}</td>
              {KINDS.map(([key]) => (
                <td key={key}>{r.counts[key] ?? 0}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function ReportView({ report }: { report: TargetReport }) {
  return (
    <div aria-live="polite">
      <p>
        {report.apply ? 'Imported' : 'Dry run'}: {report.read} remote accounts read, {report.counts['linked'] ?? 0}{' '}
        {report.apply ? 'linked' : 'would be linked'}, {report.counts['orphans'] ?? 0} orphans, {report.counts['ambiguous'] ?? 0} ambiguous.
      </p>
      {(['ambiguous', 'orphans'] as const).map((kind) =>
        (report.samples[kind]?.length ?? 0) > 0 ? (
          <details key={kind}>
            <summary>
              {kind === 'ambiguous' ? 'Ambiguous' : 'Orphans'} (first {report.samples[kind].length})
            </summary>
            <ul>
              {report.samples[kind].map((item, index) => (
                <li key={index} className="mono">
                  {item.remoteName ?? item.remoteId ?? item.remoteIds?.join(', ')}
                  {item.note ? ` — ${item.note}` : ''}
                </li>
              ))}
            </ul>
          </details>
        ) : null,
      )}
    </div>
  );
}
