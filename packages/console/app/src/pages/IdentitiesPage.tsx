import { useEffect, useState, type FormEvent } from 'react';
import { Ago, Badge, DataTable, ErrorNote, Loading, NameInput, PageTitle } from '../components/ui.js';
import type { AdminApi } from '../lib/api.js';
import { useLoad } from '../hooks.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../lib/route.js';
import type { Link } from '../lib/types.js';

function LinkBadges({ links }: { links: Link[] }) {
  if (links.length === 0) return <span className="muted">no links</span>;
  return (
    <ul className="link-badges">
      {links.map((l) => (
        <li
          key={l.connector}
          data-connector={l.connector}
          data-status={l.status}
          title={`remote id ${l.remoteId ?? '—'}, last synced ${l.lastSyncedAt ?? 'never'}`}
        >
          <Badge status={l.status} label={`${l.connector}: ${l.status}`} />
          {l.lastError ? <span className="error-text small link-error">{l.lastError}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The last two cells of a user's or group's row: its links to every connector, and when it changed. */
function LinksAndChangedCells({ links, updatedAt }: { links: Link[]; updatedAt: string }) {
  return (
    <>
      <td>
        <LinkBadges links={links} />
      </td>
      <td>
        <Ago iso={updatedAt} />
      </td>
    </>
  );
}

/** "3 users matching “ann”" for a search, just the count without one. */
function matching(count: string, q: string | undefined): string {
  return q ? `${count} matching “${q}”` : count;
}

/** Search users or groups; each row shows its link to every connector. */
export function IdentitiesPage({
  api,
  kind,
  q,
  navigate,
}: {
  api: AdminApi;
  kind: 'users' | 'groups';
  q?: string;
  navigate: (href: string) => void;
}) {
  const [text, setText] = useState(q ?? '');
  useEffect(() => setText(q ?? ''), [q]);
  const users = useLoad(() => (kind === 'users' ? api.users(q ?? '') : Promise.resolve(undefined)), `users:${kind}:${q ?? ''}`, 5000);
  const groups = useLoad(() => (kind === 'groups' ? api.groups(q ?? '') : Promise.resolve(undefined)), `groups:${kind}:${q ?? ''}`, 5000);
  const search = (event: FormEvent) => {
    event.preventDefault();
    navigate(hrefOf({ page: 'identities', kind, q: text.trim() || undefined }));
  };
  const loaded = kind === 'users' ? users : groups;
  return (
    <>
      <PageTitle sub="Identities Provisio holds, and where each one is provisioned.">Users and groups</PageTitle>
      <nav className="tabs" aria-label="Users or groups">
        <a href={hrefOf({ page: 'identities', kind: 'users' })} aria-current={kind === 'users' ? 'page' : undefined}>
          Users
        </a>
        <a href={hrefOf({ page: 'identities', kind: 'groups' })} aria-current={kind === 'groups' ? 'page' : undefined}>
          Groups
        </a>
      </nav>
      <form className="inline-form" role="search" onSubmit={search}>
        <label htmlFor="identity-search">
          {kind === 'users' ? 'Search users (userName, name, email, id)' : 'Search groups (name, id)'}
        </label>
        <NameInput id="identity-search" type="search" value={text} onChange={setText} />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={loaded.error} />
      <Loading when={loaded.loading && !loaded.data} />
      {kind === 'users' && users.data ? (
        <DataTable
          label="Users"
          caption={
            matching(plural(users.data.totalResults, 'user'), q) +
            (users.data.totalResults > users.data.users.length ? ` (first ${users.data.users.length})` : '')
          }
          columns={['userName', 'Name', 'Email', 'Active', 'Links', 'Changed']}
        >
          {users.data.users.map((u) => (
            <tr key={u.id} data-user={u.userName}>
              <td>
                <a href={hrefOf({ page: 'user', id: u.id })}>{u.userName}</a>
              </td>
              <td>{u.name ?? ''}</td>
              <td>{u.email ?? ''}</td>
              <td>{u.active ? 'yes' : 'no'}</td>
              <LinksAndChangedCells links={u.links} updatedAt={u.updatedAt} />
            </tr>
          ))}
        </DataTable>
      ) : null}
      {kind === 'groups' && groups.data ? (
        <DataTable
          label="Groups"
          caption={matching(plural(groups.data.totalResults, 'group'), q)}
          columns={['Name', 'Members', 'Links', 'Changed']}
        >
          {groups.data.groups.map((g) => (
            <tr key={g.id}>
              <td>
                <a href={hrefOf({ page: 'group', id: g.id })}>{g.displayName}</a>
              </td>
              <td>{g.members}</td>
              <LinksAndChangedCells links={g.links} updatedAt={g.updatedAt} />
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
