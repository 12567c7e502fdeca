import { useState, type FormEvent } from 'react';
import { Badge, DataTable, ErrorNote, Json, Loading, NameInput, PageTitle, WriteButton } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { describeRule, plural } from '../lib/format.js';
import { useLoad } from '../hooks.js';
import { ImportPanel } from '../components/ImportPanel.js';
import { hrefOf } from '../lib/route.js';
import type { Preview, ProvisionResult, RemoteRequest } from '../lib/types.js';

/** One instance: configuration (secrets masked by the server), mapping, preview and provision on demand. */
export function ConnectorPage({ api, id, readOnly }: { api: AdminApi; id: string; readOnly: boolean }) {
  const detail = useLoad(() => api.connector(id), `connector:${id}`);
  const [user, setUser] = useState('');
  const [preview, setPreview] = useState<Preview>();
  const [result, setResult] = useState<ProvisionResult>();
  const [busy, setBusy] = useState<'preview' | 'provision'>();
  const [error, setError] = useState<string>();

  const run = async (what: 'preview' | 'provision') => {
    if (!user.trim()) {
      setError('Enter a user id or userName first.');
      return;
    }
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'preview') {
        setResult(undefined);
        setPreview(await api.preview(id, user.trim()));
      } else setResult(await api.provision(id, user.trim()));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run('preview');
  };

  const d = detail.data;
  return (
    <>
      <PageTitle sub={d ? `${d.displayName} · type ${d.type}` : undefined}>Connector {id}</PageTitle>
      <p>
        <a href={hrefOf({ page: 'jobs', connector: id })}>Jobs of {id}</a> ·{' '}
        <a href={hrefOf({ page: 'jobs', connector: id, status: 'failed' })}>failed jobs</a>
      </p>
      <ErrorNote error={detail.error} />
      <GuardPanel api={api} id={id} readOnly={readOnly} />
      <Loading when={detail.loading && !d} />
      {d ? (
        <div className="two-col">
          <section aria-labelledby="config-heading">
            <h2 id="config-heading">Configuration</h2>
            <p className="muted">Secrets are masked by the server and never sent to the browser.</p>
            <Json value={d.settings} label="Instance settings" />
          </section>
          <section aria-labelledby="mapping-heading">
            <h2 id="mapping-heading">Mapping</h2>
            <p className="muted">
              {Object.keys((d.settings['mapping'] as object | undefined) ?? {}).length > 0
                ? 'From the manifest.'
                : 'The connector type’s default mapping (the manifest gives none).'}
            </p>
            <DataTable label="Mapping" caption="Remote field ← local attribute" columns={['Remote field', 'From']}>
              {Object.entries(d.effectiveMapping).map(([field, rule]) => (
                <tr key={field}>
                  <th scope="row" className="mono">
                    {field}
                  </th>
                  <td className="mono">{describeRule(rule)}</td>
                </tr>
              ))}
            </DataTable>
          </section>
        </div>
      ) : null}
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview and provision on demand</h2>
        <form className="inline-form" onSubmit={onSubmit}>
          <label htmlFor="preview-user">User (id or userName)</label>
          <NameInput id="preview-user" name="user" value={user} onChange={setUser} />
          <button type="submit" disabled={busy !== undefined}>
            {busy === 'preview' ? 'Previewing…' : 'Preview'}
          </button>
          <WriteButton readOnly={readOnly} disabled={busy !== undefined} onClick={() => void run('provision')}>
            {busy === 'provision' ? 'Provisioning…' : 'Provision now'}
          </WriteButton>
        </form>
        <ErrorNote error={error} />
        {preview && !result ? <PreviewView preview={preview} supported={d?.previewSupported ?? false} /> : null}
        {result ? <ProvisionView result={result} /> : null}
      </section>
      <ImportPanel api={api} id={id} readOnly={readOnly} />
    </>
  );
}

function PreviewView({ preview, supported }: { preview: Preview; supported: boolean }) {
  return (
    <div className="result" aria-live="polite" data-testid="preview">
      <h3>
        Preview for {preview.user.userName}:{' '}
        <Badge status={preview.operation === 'out of scope' ? 'skipped' : 'ok'} label={preview.operation} />
      </h3>
      <ErrorNote error={preview.error ?? undefined} />
      {preview.accountName ? (
        <p>
          Account name (provisioning pattern): <code>{preview.accountName}</code>
        </p>
      ) : null}
      {preview.requests && preview.requests.length > 0 ? (
        <Requests requests={preview.requests} />
      ) : preview.requests ? (
        <p>Nothing would be sent: the remote account is up to date.</p>
      ) : null}
      {!supported && preview.attributes ? (
        <>
          <p className="muted">This connector type does not build a request preview; these are the mapped attributes it receives.</p>
          <Json value={preview.attributes} label="Mapped attributes" />
        </>
      ) : null}
      {preview.operation === 'update' && preview.changed ? (
        <>
          <p>Changed since the last sync:</p>
          <Json value={preview.changed} label="Changed fields" />
        </>
      ) : null}
      {preview.createRequests && preview.createRequests.length > 0 ? (
        <details>
          <summary>The full payload, as a new account would be created</summary>
          <Requests requests={preview.createRequests} />
        </details>
      ) : null}
    </div>
  );
}

function Requests({ requests }: { requests: RemoteRequest[] }) {
  return (
    <>
      {requests.map((r, i) => (
        <div key={i} className="request">
          <p>
            <strong>{r.operation}</strong>{' '}
            <code>
              {r.method} {r.path}
            </code>
          </p>
          {r.body !== undefined ? <Json value={r.body} label={`Body of ${r.operation}`} /> : null}
        </div>
      ))}
    </>
  );
}

function ProvisionView({ result }: { result: ProvisionResult }) {
  return (
    <div className="result" aria-live="polite" data-testid="provision-result">
      <h3>
        Provisioned {result.user.userName} to {result.connector}: <Badge status={result.outcome} />
      </h3>
      <ol className="steps">
        {result.steps.map((s, i) => (
          <li key={i} data-status={s.status}>
            <Badge status={s.status} /> <strong>{s.step}</strong>: <span>{s.detail}</span>
            {s.data !== undefined && s.data !== null ? (
              <details>
                <summary>Details</summary>
                <Json value={s.data} label={`Details of ${s.step}`} />
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {result.job ? (
        <p>
          <a href={hrefOf({ page: 'jobs', connector: result.connector, user: result.user.id })}>Jobs of this user on {result.connector}</a>
        </p>
      ) : null}
    </div>
  );
}

/** The accidental-deletion guard: whether it tripped, how many deprovisioning jobs it holds, a sample, and release / discard. */
function GuardPanel({ api, id, readOnly }: { api: AdminApi; id: string; readOnly: boolean }) {
  const guard = useLoad(() => api.guard(id), `guard:${id}`, 5000);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const g = guard.data;
  if (!g) return null;
  // Resolved: the panel goes, the operator's confirmation stays.
  if (!g.tripped && g.held === 0)
    return message ? (
      <p role="status" data-guard-result={id}>
        {message}
      </p>
    ) : null;
  const decide = async (decision: 'release' | 'discard') => {
    const question =
      decision === 'release'
        ? `Send all ${g.held} held deprovisioning jobs of ${id}?`
        : `Cancel all ${g.held} held jobs of ${id}? Nothing is sent.`;
    if (!window.confirm(question)) return;
    setBusy(true);
    try {
      const result = await api.resolveGuard(id, decision);
      setMessage(`${plural(result.jobs, 'held job')} ${decision === 'release' ? 'released' : 'discarded'}.`);
      guard.reload();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="guard-heading" className="attention" data-guard={id}>
      <h2 id="guard-heading">Deletion guard tripped{g.trippedAt ? ` at ${g.trippedAt}` : ''}</h2>
      <p>
        <strong data-held-count>{g.held}</strong> deprovisioning job{g.held === 1 ? '' : 's'} held: nothing is sent until you decide.
      </p>
      {!readOnly ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void decide('release')}>
            Release (send them)
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void decide('discard')}>
            Discard (cancel them)
          </button>
        </p>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      <DataTable label={`Held jobs of ${id} (sample)`} columns={['User', 'Action', 'Why', 'Planned']}>
        {g.sample.map((job) => (
          <tr key={job.jobId}>
            <td>{job.userName ?? job.localId}</td>
            <td>{job.action}</td>
            <td>{job.reason}</td>
            <td>{job.createdAt}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
