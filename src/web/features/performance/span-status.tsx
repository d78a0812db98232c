interface SpanStatusProps {
  status: string | null;
}

/** Renders a span or transaction status as a badge: green for `ok`, red for anything else. */
export function SpanStatus({ status }: SpanStatusProps) {
  if (status === null || status === '') {
    return <span className="muted">—</span>;
  }

  const tone = status === 'ok' ? 'badge-status-ok' : 'badge-status-error';
  return <span className={`badge ${tone}`}>{status}</span>;
}
