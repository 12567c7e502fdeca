import { useEffect, useState, type FormEvent } from 'react';
import { ActionAndStatusCells } from '../components/JobCells.js';
import { Ago, Badge, DataTable, ErrorNote, Loading, NameInput, PageTitle } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { useLoad } from '../hooks.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../lib/route.js';
import { JOB_STATUSES, type Job } from '../lib/types.js';

interface Filter {
  status?: string;
  connector?: string;
  user?: string;
}

/** Jobs filtered by status, connector and user; attempts with the remote error; retry one or all failed. */
export function JobsPage({
  api,
  filter,
  readOnly,
  navigate,
}: {
  api: AdminApi;
  filter: Filter;
  readOnly: boolean;
  navigate: (href: string) => void;
}) {
  const key = JSON.stringify(filter);
  const [limit, setLimit] = useState(100);
  const jobs = useLoad(() => api.jobs({ ...filter, limit }), `jobs:${key}:${limit}`, 3000);
  const connectors = useLoad(() => api.connectors(), 'connectors');
  const [draft, setDraft] = useState<Filter>(filter);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => setDraft(JSON.parse(key) as Filter), [key]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(
      hrefOf({
        page: 'jobs',
        status: draft.status || undefined,
        connector: draft.connector || undefined,
        user: draft.user?.trim() || undefined,
      }),
    );
  };
  const act = async (what: () => Promise<string>) => {
    setError(undefined);
    try {
      setMessage(await what());
      jobs.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const retryOne = (job: Job) =>
    act(async () => {
      await api.retryJob(job.id);
      return `Job ${job.id} is pending again.`;
    });
  const retryAll = () =>
    act(async () => {
      const ids = filter.connector ? [filter.connector] : (connectors.data?.connectors ?? []).map((c) => c.id);
      let count = 0;
      for (const id of ids) count += (await api.retryFailed(id)).retried;
      return `${count} failed job${count === 1 ? '' : 's'} ${count === 1 ? 'is' : 'are'} pending again.`;
    });

  return (
    <>
      <PageTitle sub="Every outbound operation is a job: it succeeds, is retried, or waits here as failed.">Jobs</PageTitle>
      <form className="filters" onSubmit={apply} aria-label="Filter jobs">
        <div>
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={draft.status ?? ''} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">any</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-connector">Connector</label>
          <select id="filter-connector" value={draft.connector ?? ''} onChange={(e) => setDraft({ ...draft, connector: e.target.value })}>
            <option value="">any</option>
            {(connectors.data?.connectors ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-user">User or group id</label>
          <NameInput id="filter-user" value={draft.user ?? ''} onChange={(user) => setDraft({ ...draft, user })} />
        </div>
        <div className="filter-actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="primary" onClick={() => void retryAll()} disabled={readOnly}>
            Retry all failed{filter.connector ? ` of ${filter.connector}` : ''}
          </button>
        </div>
      </form>
      {message ? (
        <p className="note" role="status">
          {message}
        </p>
      ) : null}
      <ErrorNote error={error ?? jobs.error} />
      <Loading when={jobs.loading && !jobs.data} />
      {jobs.data && jobs.data.jobs.length === 0 ? <p className="muted">No jobs match.</p> : null}
      {jobs.data && jobs.data.jobs.length > 0 ? (
        <DataTable
          label="Jobs"
          className="jobs"
          caption={`${jobs.data.jobs.length} most recent job${jobs.data.jobs.length === 1 ? '' : 's'}, newest first`}
          columns={[
            'Job',
            'Connector',
            'Identity',
            'Action',
            'Status',
            'Attempts',
            'Updated',
            'Remote error and attempts',
            <span className="sr-only">Actions</span>,
          ]}
        >
          {jobs.data.jobs.map((job) => (
            <tr key={job.id} data-job={job.id} data-status={job.status}>
              <td className="mono">{job.id}</td>
              <td>
                <a href={hrefOf({ page: 'connector', id: job.connector })}>{job.connector}</a>
              </td>
              <td className="mono">
                <a href={hrefOf({ page: job.entityType === 'user' ? 'user' : 'group', id: job.localId })}>
                  {job.entityType}:{job.localId.slice(0, 8)}
                </a>
              </td>
              <ActionAndStatusCells job={job} />
              <td>
                {job.attempts}/{job.maxAttempts}
              </td>
              <td>
                <Ago iso={job.updatedAt} />
              </td>
              <td className="error-cell">
                {job.lastError ? <span className="error-text">{job.lastError}</span> : null}
                {job.history.length > 0 ? (
                  <details>
                    <summary>{plural(job.history.length, 'attempt')}</summary>
                    <ol className="attempts">
                      {job.history.map((h) => (
                        <li key={h.attempt + h.startedAt}>
                          #{h.attempt}{' '}
                          <Badge status={h.outcome === 'retry' ? 'retrying' : (h.outcome ?? 'running')} label={h.outcome ?? 'running'} />{' '}
                          <Ago iso={h.finishedAt ?? h.startedAt} />
                          {h.error ? <div className="error-text">{h.error}</div> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
              </td>
              <td>
                {job.status === 'failed' ? (
                  <button type="button" onClick={() => void retryOne(job)} disabled={readOnly} aria-label={`Retry job ${job.id}`}>
                    Retry
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {jobs.data?.next && limit < 1000 ? (
        <p>
          <button type="button" onClick={() => setLimit((l) => Math.min(1000, l + 100))}>
            Show older jobs
          </button>
        </p>
      ) : null}
    </>
  );
}
