// Every target against the acknowledged history: exactly one account per live user, holding the
// last acknowledged title; deleted users gone or inactive; no job left pending or running; no job
// `succeeded` whose effect the target lacks; no user created twice.
import type { JobView } from './admin-client.js';
import { AcknowledgedHistory, type AcknowledgedUser } from './history.js';
import type { TargetView } from './targets.js';

export interface TargetFindings {
  target: string;
  /** Live users (userName) without any account. */
  missing: string[];
  /** Users with more than one account, or more than one create that reached the target. */
  duplicated: string[];
  /** Live users whose one account differs from their last acknowledged write (title, or inactive). */
  stale: string[];
  /** Deleted users whose account is still there and active. */
  deletesNotApplied: string[];
  /** Jobs (id) still pending or running after the drain. */
  stranded: string[];
  /** Jobs (id) that failed: a write acknowledged to the client that never reached the target. */
  failed: string[];
  /** Jobs (id) that are the user's newest, `succeeded`, while the target lacks their effect. */
  lost: string[];
}

/** Findings of a target that is exactly as the acknowledged history says: every list empty. */
export function noFindings(target: string): TargetFindings {
  return { target, missing: [], duplicated: [], stale: [], deletesNotApplied: [], stranded: [], failed: [], lost: [] };
}

export function checkTarget(history: AcknowledgedHistory, view: TargetView, jobs: readonly JobView[]): TargetFindings {
  const findings = noFindings(view.id);
  const wrong = new Set<string>();
  for (const user of history.all()) {
    const key = user.userName.toLowerCase();
    const accounts = view.accounts.get(key) ?? [];
    const expected = AcknowledgedHistory.expected(user);
    if (accounts.length > 1 || (view.createAttempts.get(key) ?? 0) > 1) findings.duplicated.push(user.userName);
    if (expected.deleted) {
      if (accounts.some((a) => a.active)) {
        findings.deletesNotApplied.push(user.userName);
        wrong.add(user.id);
      }
      continue;
    }
    if (accounts.length === 0) {
      findings.missing.push(user.userName);
      wrong.add(user.id);
    } else if (accounts.some((a) => !a.active || a.title !== expected.title)) {
      findings.stale.push(user.userName);
      wrong.add(user.id);
    }
  }
  for (const job of jobs) {
    if (job.status === 'pending' || job.status === 'running') findings.stranded.push(job.id);
    if (job.status === 'failed') findings.failed.push(job.id);
  }
  for (const [localId, newest] of newestJobs(jobs)) if (newest.status === 'succeeded' && wrong.has(localId)) findings.lost.push(newest.id);
  return findings;
}

/** Each user's newest job that was not superseded by a later one. */
function newestJobs(jobs: readonly JobView[]): Map<string, JobView> {
  const newest = new Map<string, JobView>();
  for (const job of jobs) {
    if (job.entityType !== 'user' || job.status === 'superseded') continue;
    const current = newest.get(job.localId);
    if (!current || job.createdAt > current.createdAt || (job.createdAt === current.createdAt && job.id > current.id))
      newest.set(job.localId, job);
  }
  return newest;
}

/**
 * In a timeline line, the origin "from <job.claim>,<job.claim>… <worker>" cut down to the entries of
 * `jobIds`, the others counted: "from 12.2 (+199 other jobs) worker-…". Lines without one pass unchanged.
 */
function narrowOrigin(line: string, jobIds: readonly string[]): string {
  return line.replace(/from (\S+)( worker-\S+)?/, (whole, list: string, worker: string | undefined) => {
    const entries = list.split(',');
    if (!entries.every((e) => /^\d+\.\d+$/.test(e))) return whole;
    const ours = entries.filter((e) => jobIds.includes(e.split('.')[0]));
    const others = entries.length - ours.length;
    return `from ${ours.join(',') || '(none of its jobs)'}${others > 0 ? ` (+${others} other jobs)` : ''}${worker ?? ''}`;
  });
}

/** Every kind of finding, in the report's column order. */
export function findingLists(findings: TargetFindings): string[][] {
  return [
    findings.missing,
    findings.duplicated,
    findings.stale,
    findings.deletesNotApplied,
    findings.stranded,
    findings.failed,
    findings.lost,
  ];
}

export function isClean(findings: TargetFindings): boolean {
  return findingLists(findings).every((list) => list.length === 0);
}

/** A few examples of each finding, with each example user's writes and jobs, to start a diagnosis. */
export function explain(
  findings: TargetFindings,
  history: AcknowledgedHistory,
  view: TargetView,
  jobs: readonly JobView[],
  examples = 3,
): string {
  const lines: string[] = [];
  const jobsOf = (localId: string) => jobs.filter((j) => j.localId === localId);
  const describeUser = (user: AcknowledgedUser | undefined) => {
    if (!user) return '    (not in the acknowledged history)';
    const writes = user.writes.map((w) => `${w.op}${w.title ? `(${w.title})` : ''}${w.resent ? '[resent]' : ''}`).join(' → ');
    const accounts = JSON.stringify(view.accounts.get(user.userName.toLowerCase()) ?? []);
    const own = jobsOf(user.id).map((j) => j.id);
    // A batch's request names every job it carried: show this user's and the count of the others.
    const narrowed = (line: string) => narrowOrigin(line, own);
    const jobLines = jobsOf(user.id).map(
      (j) =>
        `      job ${j.id} ${j.action}/${j.reason} ${j.status} attempts=${j.attempts} created=${j.createdAt} history=${JSON.stringify(j.history)}`,
    );
    const calls = view.callsOf?.(own).map(narrowed) ?? [];
    return [
      `    writes: ${writes}; creates received: ${view.createAttempts.get(user.userName.toLowerCase()) ?? 0}${
        view.createTimeline ? ` (${view.createTimeline(user.userName).map(narrowed).join(', ')})` : ''
      }; accounts: ${accounts}`,
      ...(view.writeTimeline ? [`    received: ${view.writeTimeline(user.userName).map(narrowed).join(' | ') || 'nothing'}`] : []),
      ...(view.callsOf ? [`    requests sent for its jobs: ${calls.join(' | ') || 'none'}`] : []),
      ...jobLines,
    ].join('\n');
  };
  const byName = new Map(history.all().map((u) => [u.userName, u]));
  for (const kind of ['missing', 'duplicated', 'stale', 'deletesNotApplied'] as const) {
    for (const name of findings[kind].slice(0, examples)) lines.push(`  ${view.id} ${kind}: ${name}\n${describeUser(byName.get(name))}`);
  }
  for (const kind of ['stranded', 'failed', 'lost'] as const) {
    for (const id of findings[kind].slice(0, examples)) {
      const job = jobs.find((j) => j.id === id);
      lines.push(
        `  ${view.id} ${kind}: job ${id} (${job?.action} of ${job?.localId}, ${job?.status}, lastError ${job?.lastError})\n${describeUser(job ? history.byId(job.localId) : undefined)}`,
      );
    }
  }
  return lines.join('\n');
}
