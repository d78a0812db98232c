import { formatDateTime, formatRelativeTime, parseTimestamp } from '../lib/format';
import { useNow } from '../lib/use-now';

interface RelativeTimeProps {
  /** ISO 8601 timestamp. */
  date: string | null;
  /** Text shown before the relative time, as "First seen". */
  prefix?: string;
}

/** Renders a timestamp as "5 minutes ago", with the full date and time on hover. */
export function RelativeTime({ date, prefix }: RelativeTimeProps) {
  const now = useNow();
  const parsed = parseTimestamp(date);

  if (parsed === null) {
    return <span className="muted">{prefix === undefined ? '—' : `${prefix} —`}</span>;
  }

  const relative = formatRelativeTime(parsed, now);

  return (
    <time dateTime={parsed.toISOString()} title={formatDateTime(parsed)}>
      {prefix === undefined ? relative : `${prefix} ${relative}`}
    </time>
  );
}
