import type { Job } from '../lib/types.js';
import { Badge } from './ui.js';

/** A job row's Action cell (with why) and Status cell, as every job table shows them. */
export function ActionAndStatusCells({ job }: { job: Job }) {
  return (
    <>
      <td>
        {job.action} <span className="muted">({job.reason})</span>
      </td>
      <td>
        <Badge status={job.status} />
      </td>
    </>
  );
}
