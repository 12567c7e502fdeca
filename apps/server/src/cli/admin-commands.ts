import type {
  ConnectorList,
  GuardReport,
  GuardResolution,
  HealthReport,
  Job,
  JobList,
  QuarantineRelease,
  RetriedCount,
} from '@provisio/admin-contract';
import { loadConfiguration } from '../config/load-configuration.js';
import { findManifest } from '../config/manifest-file.js';
import { AdminClient } from './admin-client.js';
import type { CliIo } from './commands.js';

export interface AdminCommandOptions {
  config?: string;
  server?: string;
  token?: string;
  /** The tenant whose admin API to use (`--tenant`); absent: the default tenant. */
  tenant?: string;
  status?: string;
  connector?: string;
  user?: string;
  limit?: string;
  json?: boolean;
}

/** A running job's lease: who holds it and until when; "(expired)" when the holder seems gone (the job is stuck until another worker takes it over). */
export function leaseText(job: Pick<Job, 'claimedBy' | 'leaseUntil'>, now: number): string {
  if (!job.claimedBy && !job.leaseUntil) return '';
  const expired = job.leaseUntil !== null && Date.parse(job.leaseUntil) < now;
  return `${job.claimedBy ?? '?'} until ${job.leaseUntil ?? '?'}${expired ? ' (expired)' : ''}`;
}

/** The server to talk to: --server, PROVISIO_URL, else the manifest's server.host/port. */
export async function adminClient(options: AdminCommandOptions, io: CliIo): Promise<AdminClient> {
  let base = options.server ?? io.env.PROVISIO_URL;
  if (!base) {
    const configuration = await loadConfiguration({ manifestPath: findManifest(options.config, io.cwd), cwd: io.cwd, env: io.env });
    const server = configuration.manifest?.server ?? { host: '127.0.0.1', port: 8080 };
    const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
    // With server.tls the CLI checks the certificate too: a private CA goes in NODE_EXTRA_CA_CERTS.
    base = `${configuration.manifest?.server.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  }
  // --tenant: that tenant's admin API, beneath /t/<domain> (the super admin's token, or the tenant admin's).
  const tenant = options.tenant ? `/t/${encodeURIComponent(options.tenant)}` : '';
  return new AdminClient(`${base.replace(/\/$/, '')}${tenant}`, options.token ?? io.env.PROVISIO_ADMIN_TOKEN);
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** `provisio jobs [--status failed] [--connector ID] [--user ID]` */
export async function jobsCommand(options: AdminCommandOptions, io: CliIo): Promise<number> {
  const admin = await adminClient(options, io);
  const { jobs } = await admin.request<JobList>(
    'GET',
    `/jobs${query({ status: options.status, connector: options.connector, user: options.user, limit: options.limit })}`,
  );
  if (options.json) {
    io.out(JSON.stringify(jobs, null, 2));
    return 0;
  }
  if (jobs.length === 0) {
    io.out('no jobs');
    return 0;
  }
  io.out(['ID', 'CONNECTOR', 'ENTITY', 'ACTION', 'STATUS', 'ATTEMPTS', 'UPDATED', 'LEASE', 'LAST ERROR'].join('\t'));
  const now = Date.now();
  for (const job of jobs) {
    io.out(
      [
        job.id,
        job.connector,
        `${job.entityType}:${job.localId}`,
        job.action,
        job.status,
        `${job.attempts}/${job.maxAttempts}`,
        job.updatedAt,
        leaseText(job, now),
        job.lastError ?? '',
      ].join('\t'),
    );
  }
  return 0;
}

/** `provisio retry <job-id>` or `provisio retry --connector ID` (every failed job of it). */
export async function retryCommand(jobId: string | undefined, options: AdminCommandOptions, io: CliIo): Promise<number> {
  const admin = await adminClient(options, io);
  if (jobId) {
    const job = await admin.request<Job>('POST', `/jobs/${encodeURIComponent(jobId)}/retry`);
    io.out(`job ${job.id} is ${job.status} again`);
    return 0;
  }
  if (!options.connector) {
    io.err('retry needs a job id or --connector ID');
    return 2;
  }
  const { retried } = await admin.request<RetriedCount>('POST', `/connectors/${encodeURIComponent(options.connector)}/retry-failed`);
  io.out(`${retried} failed job${retried === 1 ? '' : 's'} of ${options.connector} queued again`);
  return 0;
}

/** `provisio reconcile <instance>`, with a progress line. */
export async function reconcileCommand(
  instanceId: string | undefined,
  options: AdminCommandOptions,
  io: CliIo & { progress?: (line: string) => void },
): Promise<number> {
  if (!instanceId) {
    io.err('reconcile needs a connector instance id');
    return 2;
  }
  const admin = await adminClient(options, io);
  let result: Record<string, unknown> = {};
  await admin.stream('POST', `/connectors/${encodeURIComponent(instanceId)}/reconcile`, (line) => {
    if (line.done) result = line;
    else if (line.read !== undefined) io.progress?.(`reconciling ${instanceId}: ${String(line.read)} remote accounts read`);
    else io.progress?.(`reconciling ${instanceId}: ${String(line.scanned)} identities scanned`);
  });
  io.out(`reconciled ${instanceId}: ${String(result.scanned ?? 0)} identities scanned, ${String(result.planned ?? 0)} jobs planned`);
  const report = result.report as ReconcileReportLines | undefined;
  if (report) for (const text of reconcileReportLines(report)) io.out(text);
  return 0;
}

interface ReconcileReportLines {
  read: number;
  apply: boolean;
  counts: Record<string, number>;
  samples: Record<
    string,
    { remoteId?: string; remoteName?: string; note?: string; differences?: { field: string; remote?: unknown; wanted?: unknown }[] }[]
  >;
}

/** The target's side of a reconcile: counts, then the first drifted, missing and orphaned accounts. */
function reconcileReportLines(report: ReconcileReportLines): string[] {
  const count = (kind: string) => report.counts[kind] ?? 0;
  const lines = [
    `target: ${report.read} accounts read; ${count('drift')} drifted, ${count('missing')} missing, ${count('orphans')} orphaned, ` +
      `${count('unlinked')} unlinked, ${count('skipped')} skipped, ${count('inSync')} in sync${report.apply ? '' : ' (reconcile.repair: false: nothing repaired)'}`,
  ];
  const groups = count('groupDrift') + count('groupsMissing') + count('groupsInSync');
  if (groups > 0)
    lines.push(`groups: ${count('groupDrift')} with drifted members, ${count('groupsMissing')} missing, ${count('groupsInSync')} in sync`);
  const shown = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  for (const kind of ['drift', 'missing', 'orphans', 'groupDrift', 'groupsMissing']) {
    for (const item of (report.samples[kind] ?? []).slice(0, 10)) {
      const name = item.remoteName ?? item.remoteId ?? '?';
      const what = item.differences?.map((d) => `${d.field} ${shown(d.remote)} → ${shown(d.wanted)}`).join(', ') ?? item.note ?? '';
      lines.push(`  ${kind} ${name}${what ? `: ${what}` : ''}`);
    }
  }
  return lines;
}

/** `provisio check <instance>`: exit 0 when the target answers, 1 otherwise. */
export async function checkCommand(instanceId: string | undefined, options: AdminCommandOptions, io: CliIo): Promise<number> {
  if (!instanceId) {
    io.err('check needs a connector instance id');
    return 2;
  }
  const admin = await adminClient(options, io);
  const report = await admin.request<HealthReport>('GET', `/connectors/${encodeURIComponent(instanceId)}/check`);
  (report.ok ? io.out : io.err)(`${instanceId}: ${report.ok ? 'ok' : 'FAILED'} - ${report.message} (${report.tookMs} ms)`);
  return report.ok ? 0 : 1;
}

/** `provisio guard <instance>`: the guard's state, held count and a sample; `release` / `discard` decide the held jobs. */
export async function guardCommand(
  instanceId: string | undefined,
  decision: string | undefined,
  options: AdminCommandOptions,
  io: CliIo,
): Promise<number> {
  if (!instanceId) {
    io.err('guard needs a connector instance id');
    return 2;
  }
  if (decision !== undefined && decision !== 'release' && decision !== 'discard') {
    io.err(`guard ${instanceId}: unknown action "${decision}"; give release or discard`);
    return 2;
  }
  const admin = await adminClient(options, io);
  const path = `/connectors/${encodeURIComponent(instanceId)}/guard`;
  if (decision) {
    const result = await admin.request<GuardResolution>('POST', `${path}/${decision}`);
    io.out(
      options.json
        ? JSON.stringify(result, null, 2)
        : `${instanceId}: ${result.jobs} held job${result.jobs === 1 ? '' : 's'} ${decision === 'release' ? 'released (sent once)' : 'discarded (nothing sent)'}; the guard is reset`,
    );
    return 0;
  }
  const report = await admin.request<GuardReport>('GET', path);
  if (options.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const limit = [
    report.threshold.maxCount === null ? undefined : String(report.threshold.maxCount),
    report.threshold.maxPercent === null ? undefined : `${report.threshold.maxPercent}% of linked accounts`,
  ].filter(Boolean);
  io.out(
    `${instanceId}: guard ${!report.enabled ? 'off' : report.tripped ? `TRIPPED at ${report.trippedAt}` : 'armed'}` +
      (report.enabled ? ` (at most ${limit.join(' or ')} per ${report.threshold.windowMs / 60000} min)` : '') +
      `, ${report.held} held`,
  );
  if (report.sample.length > 0) {
    io.out(['JOB', 'USER', 'ACTION', 'WHY', 'PLANNED'].join('\t'));
    for (const job of report.sample) io.out([job.jobId, job.userName ?? job.localId, job.action, job.reason, job.createdAt].join('\t'));
    if (report.held > 0) io.out(`release: provisio guard ${instanceId} release   discard: provisio guard ${instanceId} discard`);
  }
  return 0;
}

/** `provisio quarantine [list]` and `provisio quarantine release <connector-id>`. */
export async function quarantineCommand(
  action: string | undefined,
  instanceId: string | undefined,
  options: AdminCommandOptions,
  io: CliIo,
): Promise<number> {
  if (action === 'release') {
    if (!instanceId) {
      io.err('quarantine release needs a connector instance id');
      return 2;
    }
    const admin = await adminClient(options, io);
    const result = await admin.request<QuarantineRelease>('POST', `/connectors/${encodeURIComponent(instanceId)}/quarantine/release`);
    if (options.json) io.out(JSON.stringify(result, null, 2));
    else io.out(result.released ? `${instanceId} left quarantine; its waiting jobs run now` : `${instanceId} is not quarantined`);
    return 0;
  }
  if (action !== undefined && action !== 'list') {
    io.err(`unknown quarantine action "${action}"; use: quarantine [list] | quarantine release <connector-id>`);
    return 2;
  }
  const admin = await adminClient(options, io);
  const { connectors } = await admin.request<ConnectorList>('GET', '/connectors');
  const quarantined = connectors.filter((c) => c.quarantine);
  if (options.json) {
    io.out(
      JSON.stringify(
        quarantined.map((c) => ({ connector: c.id, ...c.quarantine })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (quarantined.length === 0) {
    io.out('no connector instance is quarantined');
    return 0;
  }
  io.out(['CONNECTOR', 'SINCE', 'NEXT PROBE', 'PROBES', 'PENDING', 'REASON'].join('\t'));
  for (const c of quarantined) {
    const q = c.quarantine;
    if (!q) continue;
    io.out([c.id, q.since, q.nextProbeAt, String(q.probeCount), String(c.jobs.pending), q.reason].join('\t'));
  }
  return 0;
}
