import type { ReactNode } from 'react';
import { ActionAndStatusCells } from '../components/JobCells.js';
import { LinksTable } from '../components/LinksTable.js';
import { Ago, DataTable, ErrorNote, Json, Loading, PageTitle, WhenAndLastErrorCells } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { useLoad, type Loaded } from '../hooks.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../lib/route.js';
import type { Job, Link } from '../lib/types.js';

function LinksSection({ links, name }: { links: Link[]; name: string }) {
  return (
    <section aria-labelledby="links-heading">
      <h2 id="links-heading">Links</h2>
      <LinksTable links={links} caption={`Links of ${name} per connector`} />
    </section>
  );
}

function RecentJobs({ jobs, localId }: { jobs: Job[]; localId: string }) {
  return (
    <section aria-labelledby="recent-jobs">
      <h2 id="recent-jobs">Recent jobs</h2>
      {jobs.length === 0 ? (
        <p className="muted">No jobs.</p>
      ) : (
        <DataTable
          label="Recent jobs"
          caption={
            <>
              Latest {jobs.length} · <a href={hrefOf({ page: 'jobs', user: localId })}>all jobs of this identity</a>
            </>
          }
          columns={['Job', 'Connector', 'Action', 'Status', 'Updated', 'Last error']}
        >
          {jobs.map((j) => (
            <tr key={j.id}>
              <td className="mono">{j.id}</td>
              <td>{j.connector}</td>
              <ActionAndStatusCells job={j} />
              <WhenAndLastErrorCells at={j.updatedAt} error={j.lastError} />
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** A page about one loaded identity: its title, then the load's error or progress, then `children` once it is there. */
function IdentityDetail<T>({
  loaded,
  title,
  sub,
  children,
}: {
  loaded: Loaded<T>;
  title: string;
  sub: (data: T) => string;
  children: (data: T) => ReactNode;
}) {
  const data = loaded.data;
  return (
    <>
      <PageTitle sub={data ? sub(data) : undefined}>{title}</PageTitle>
      <ErrorNote error={loaded.error} />
      <Loading when={loaded.loading && !data} />
      {data ? children(data) : null}
    </>
  );
}

/** One user: its links per connector, groups, recent jobs and the stored SCIM resource. */
export function UserPage({ api, id }: { api: AdminApi; id: string }) {
  const user = useLoad(() => api.user(id), `user:${id}`, 3000);
  return (
    <IdentityDetail
      loaded={user}
      title={`User ${user.data?.userName ?? id}`}
      sub={(u) => `${u.name ?? ''} ${u.email ? `· ${u.email}` : ''} · ${u.active ? 'active' : 'inactive'}`}
    >
      {(u) => (
        <>
          <LinksSection links={u.links} name={u.userName} />
          <section aria-labelledby="groups-heading">
            <h2 id="groups-heading">Groups</h2>
            {u.groups.length === 0 ? (
              <p className="muted">Member of no group.</p>
            ) : (
              <ul>
                {u.groups.map((g) => (
                  <li key={g.id}>
                    <a href={hrefOf({ page: 'group', id: g.id })}>{g.displayName}</a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <RecentJobs jobs={u.jobs} localId={u.id} />
          <section aria-labelledby="resource-heading">
            <h2 id="resource-heading">SCIM resource</h2>
            <p className="muted">
              id <code>{u.id}</code> · <a href={hrefOf({ page: 'audit', entity: u.id })}>audit trail</a>
            </p>
            <Json value={u.resource} label="Stored SCIM resource" />
          </section>
        </>
      )}
    </IdentityDetail>
  );
}

export function GroupPage({ api, id }: { api: AdminApi; id: string }) {
  const group = useLoad(() => api.group(id), `group:${id}`, 5000);
  return (
    <IdentityDetail loaded={group} title={`Group ${group.data?.displayName ?? id}`} sub={(g) => plural(g.members, 'member')}>
      {(g) => (
        <>
          <LinksSection links={g.links} name={g.displayName} />
          <section aria-labelledby="members-heading">
            <h2 id="members-heading">Members</h2>
            <ul>
              {g.memberRefs.map((m) => (
                <li key={m.value}>
                  <a href={hrefOf({ page: m.type === 'Group' ? 'group' : 'user', id: m.value })}>{m.display ?? m.value}</a>
                </li>
              ))}
            </ul>
          </section>
          <RecentJobs jobs={g.jobs} localId={g.id} />
          <p className="muted">
            Changed <Ago iso={g.updatedAt} /> · <a href={hrefOf({ page: 'audit', entity: g.id })}>audit trail</a>
          </p>
        </>
      )}
    </IdentityDetail>
  );
}
