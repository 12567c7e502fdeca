import { useEffect, useState } from 'react';
import { ThroughputChart } from '../components/ThroughputChart.js';
import { Ago, Badge, ErrorNote, Loading, PageTitle } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { useLoad } from '../hooks.js';
import { hrefOf } from '../lib/route.js';
import { JOB_STATUSES, type HealthReport } from '../lib/types.js';

/** Every connector instance with health and job counts, and the last hour's throughput. */
export function Overview({ api, readOnly }: { api: AdminApi; readOnly: boolean }) {
  const connectors = useLoad(() => api.connectors(), 'connectors', 5000);
  const throughput = useLoad(() => api.throughput(60), 'throughput', 10000);
  const [health, setHealth] = useState<Record<string, HealthReport | 'checking'>>({});
  const [round, setRound] = useState(0);
  const ids = (connectors.data?.connectors ?? []).map((c) => c.id).join(',');
  const [releaseError, setReleaseError] = useState<string>();
  const release = async (id: string) => {
    setReleaseError(undefined);
    try {
      await api.releaseQuarantine(id);
      connectors.reload();
    } catch (e) {
      setReleaseError((e as Error).message);
    }
  };

  // Health is a remote call per instance: once per visit and on demand, not on every poll.
  useEffect(() => {
    if (!ids) return;
    let cancelled = false;
    for (const id of ids.split(',')) {
      setHealth((h) => ({ ...h, [id]: 'checking' }));
      api.check(id).then(
        (report) => !cancelled && setHealth((h) => ({ ...h, [id]: report })),
        (error: unknown) =>
          !cancelled &&
          setHealth((h) => ({ ...h, [id]: { connector: id, ok: false, message: String((error as Error).message ?? error), tookMs: 0 } })),
      );
    }
    return () => {
      cancelled = true;
    };
  }, [api, ids, round]);

  return (
    <>
      <PageTitle sub="Connector instances, their health and jobs, and provisioning throughput.">Overview</PageTitle>
      <ErrorNote error={connectors.error} />
      <ErrorNote error={releaseError} />
      <Loading when={connectors.loading && !connectors.data} />
      <section aria-labelledby="connectors-heading">
        <div className="section-head">
          <h2 id="connectors-heading">Connector instances</h2>
          <button type="button" onClick={() => setRound((r) => r + 1)}>
            Check health again
          </button>
        </div>
        {connectors.data && connectors.data.connectors.length === 0 ? (
          <p className="muted">No connector instances are enabled in the manifest.</p>
        ) : null}
        <ul className="cards">
          {(connectors.data?.connectors ?? []).map((c) => {
            const h = health[c.id];
            const state = h === undefined || h === 'checking' ? 'checking' : h.ok ? 'healthy' : 'unhealthy';
            return (
              <li key={c.id} className="card" data-connector={c.id}>
                <h3>
                  <a href={hrefOf({ page: 'connector', id: c.id })}>{c.id}</a>
                </h3>
                <p className="muted">
                  {c.displayName} · {c.type} · {c.mode}
                </p>
                <p>
                  <Badge status={state} /> <span className="health-message">{h && h !== 'checking' ? h.message : ''}</span>
                </p>
                {c.quarantine ? (
                  <div className="quarantine" role="status" aria-label={`${c.id} is quarantined`}>
                    <p>
                      <Badge status="quarantined" /> <span className="quarantine-reason">{c.quarantine.reason}</span>
                    </p>
                    <p className="muted">
                      Jobs wait. Since <Ago iso={c.quarantine.since} />; next probe{' '}
                      <time dateTime={c.quarantine.nextProbeAt}>{c.quarantine.nextProbeAt}</time> ({c.quarantine.probeCount} probe
                      {c.quarantine.probeCount === 1 ? '' : 's'} so far)
                    </p>
                    <button
                      type="button"
                      onClick={() => void release(c.id)}
                      disabled={readOnly}
                      aria-label={`Release ${c.id} from quarantine`}
                    >
                      Release from quarantine
                    </button>
                  </div>
                ) : null}
                <dl className="counts" aria-label={`Jobs of ${c.id} by status`}>
                  {JOB_STATUSES.map((s) => (
                    <div key={s}>
                      <dt>
                        <a href={hrefOf({ page: 'jobs', status: s, connector: c.id })}>{s}</a>
                      </dt>
                      <dd data-status={s} className={(s === 'failed' || s === 'held') && c.jobs[s] > 0 ? 'attention' : undefined}>
                        {c.jobs[s]}
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="throughput-heading">
        <h2 id="throughput-heading">Throughput, last hour</h2>
        <ErrorNote error={throughput.error} />
        {throughput.data ? <ThroughputChart buckets={throughput.data.buckets} /> : <Loading when={throughput.loading} />}
      </section>
    </>
  );
}
