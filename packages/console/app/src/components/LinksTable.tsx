import { hrefOf } from '../lib/route.js';
import type { Link } from '../lib/types.js';
import { Badge, DataTable, WhenAndLastErrorCells } from './ui.js';

/** An identity's link to each connector instance: remote id, status, last error, last synced. */
export function LinksTable({ links, caption }: { links: Link[]; caption: string }) {
  if (links.length === 0) return <p className="muted">Not linked to any connector yet.</p>;
  return (
    <DataTable label={caption} caption={caption} columns={['Connector', 'Status', 'Remote id', 'Remote name', 'Last synced', 'Last error']}>
      {links.map((link) => (
        <tr key={link.connector} data-connector={link.connector}>
          <td>
            <a href={hrefOf({ page: 'connector', id: link.connector })}>{link.connector}</a>
          </td>
          <td>
            <Badge status={link.status} />
          </td>
          <td className="mono">{link.remoteId ?? '—'}</td>
          <td>{link.remoteName ?? '—'}</td>
          <WhenAndLastErrorCells at={link.lastSyncedAt} error={link.lastError} />
        </tr>
      ))}
    </DataTable>
  );
}
