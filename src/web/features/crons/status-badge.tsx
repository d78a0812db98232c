import { statusClassName, statusLabel } from './monitor-format';

interface StatusBadgeProps {
  status: Parameters<typeof statusLabel>[0];
  /** Text before the status, such as the environment name. */
  prefix?: string;
}

/** Renders a monitor or check-in status as a coloured badge. */
export function StatusBadge({ status, prefix }: StatusBadgeProps) {
  return (
    <span className={statusClassName(status)} data-status={status}>
      {prefix === undefined ? null : <span className="badge-prefix">{prefix}</span>}
      {statusLabel(status)}
    </span>
  );
}
