import { useState } from 'react';
import { DataTable, ErrorNote, Loading, PageTitle } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { useLoad } from '../hooks.js';
import { hrefOf } from '../lib/route.js';
import type { AuditEntry } from '../lib/types.js';

/** Who changed what: SCIM clients (scim:<name>) and operators (admin:<name>), newest first. */
export function AuditPage({ api, entity }: { api: AdminApi; entity?: string }) {
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const first = useLoad(() => api.audit({ entity, limit: 100 }), `audit:${entity ?? ''}`, 10000);
  const [next, setNext] = useState<number | null | undefined>();
  const [error, setError] = useState<string>();
  const entries = [...(first.data?.entries ?? []), ...older];
  const cursor = next === undefined ? first.data?.next : next;
  const loadOlder = async () => {
    if (!cursor) return;
    try {
      const page = await api.audit({ entity, before: cursor, limit: 100 });
      setOlder((o) => [...o, ...page.entries]);
      setNext(page.next);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <PageTitle sub="Every change, through SCIM or the admin API, with who made it.">Audit</PageTitle>
      {entity ? (
        <p>
          Only entries about <code>{entity}</code> · <a href={hrefOf({ page: 'audit' })}>show all</a>
        </p>
      ) : null}
      <ErrorNote error={first.error ?? error} />
      <Loading when={first.loading && !first.data} />
      {first.data && entries.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      {entries.length > 0 ? (
        <DataTable label="Audit trail" caption="Newest first" columns={['When', 'Who', 'What', 'Entity', 'Details']}>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
              </td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td className="mono">
                {e.entityType === 'user' || e.entityType === 'group' ? (
                  <a href={hrefOf({ page: e.entityType, id: e.entityId })}>{`${e.entityType}:${e.entityId.slice(0, 8)}`}</a>
                ) : (
                  `${e.entityType}:${e.entityId}`
                )}
              </td>
              <td className="mono small">{e.details ? JSON.stringify(e.details) : ''}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" onClick={() => void loadOlder()}>
          Older entries
        </button>
      ) : null}
    </>
  );
}
