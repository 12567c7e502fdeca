import { useEffect, useRef, type ReactNode } from 'react';
import { timeAgo } from '../lib/format.js';

/** The page's heading; focused on navigation so screen readers announce the new page. */
export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <header className="page-title">
      <h1 tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {sub ? <p className="sub">{sub}</p> : null}
    </header>
  );
}

const STATUS_CLASS: Record<string, string> = {
  succeeded: 'ok',
  synced: 'ok',
  healthy: 'ok',
  ok: 'ok',
  failed: 'bad',
  unhealthy: 'bad',
  quarantined: 'bad',
  pending: 'wait',
  running: 'wait',
  retrying: 'wait',
  waiting: 'wait',
  checking: 'wait',
  superseded: 'muted',
  deprovisioned: 'muted',
  skipped: 'muted',
};

/** A status word with colour and text (colour is never the only signal). */
export function Badge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge ${STATUS_CLASS[status] ?? 'muted'}`}>{label ?? status}</span>;
}

export function Ago({ iso }: { iso: string | null | undefined }) {
  return iso ? (
    <time dateTime={iso} title={iso}>
      {timeAgo(iso)}
    </time>
  ) : (
    <span className="muted">never</span>
  );
}

export function ErrorNote({ error }: { error: string | undefined }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p className="muted" role="status">
      Loading…
    </p>
  ) : null;
}

/** Tables scroll sideways on narrow screens instead of overflowing the page. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
