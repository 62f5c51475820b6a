// A dashboard panel: title, optional actions, and the three states every panel has — loading, error
// (with the server's message and code) and content.
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

interface PanelProps {
  title: string;
  actions?: ReactNode;
  loading?: boolean;
  error?: ApiError | Error | null;
  empty?: string | null; // shown instead of children when set (e.g. "No open positions")
  children?: ReactNode;
  className?: string;
  testId?: string;
}

export function Panel({ title, actions, loading, error, empty, children, className, testId }: PanelProps) {
  let body: ReactNode;
  if (error) {
    const code = 'code' in error ? (error as ApiError).code : null;
    body = (
      <div className="panel-error" role="alert">
        {error.message}
        {code ? <span className="muted"> ({code})</span> : null}
      </div>
    );
  } else if (loading) {
    body = <div className="panel-loading">Loading…</div>;
  } else if (empty) {
    body = <div className="panel-empty">{empty}</div>;
  } else {
    body = children;
  }
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      <header className="panel-header">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{body}</div>
    </section>
  );
}

// A labelled figure ("Equity 100,000.00 USDT").
export function Stat({ label, value, className, testId }: { label: string; value: ReactNode; className?: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className={`stat-value ${className ?? ''}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}
