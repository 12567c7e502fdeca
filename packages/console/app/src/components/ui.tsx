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
function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A table in a TableWrap with one header row; `children` are the body's rows. */
export function DataTable({
  label,
  caption,
  columns,
  className,
  children,
}: {
  label: string;
  caption?: ReactNode;
  columns: readonly ReactNode[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <TableWrap label={label}>
      <table className={className}>
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th scope="col" key={index}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}

/** A row's closing cells: when it last changed (or synced), then its last error, blank when there is none. */
export function WhenAndLastErrorCells({ at, error }: { at: string | null | undefined; error: string | null | undefined }) {
  return (
    <>
      <td>
        <Ago iso={at} />
      </td>
      <td className="error-text">{error ?? ''}</td>
    </>
  );
}

/** A text field for ids and names: the browser neither completes nor spell-checks them. */
export function NameInput({
  id,
  value,
  onChange,
  type,
  name,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'search';
  name?: string;
}) {
  return (
    <input id={id} name={name} type={type} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" spellCheck={false} />
  );
}

/** The primary button of an action that writes: disabled, with a reason, for a read-only operator. */
export function WriteButton({
  readOnly,
  disabled = false,
  onClick,
  children,
}: {
  readOnly: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="primary"
      disabled={disabled || readOnly}
      title={readOnly ? 'Read-only access' : undefined}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
