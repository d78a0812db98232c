import type { AlertRule } from '../../../shared/api/alerts';

const STATUS_CLASSES: Record<string, string> = {
  sent: 'badge badge-resolved',
  failed: 'badge badge-unhandled',
  pending: 'badge badge-ignored',
  sending: 'badge badge-ignored',
};

/** Renders a delivery's status (`pending`, `sending`, `sent` or `failed`) as a coloured badge. */
export function DeliveryStatusBadge({ status }: { status: string }) {
  return (
    <span className={STATUS_CLASSES[status] ?? 'badge'} data-delivery-status={status}>
      {status}
    </span>
  );
}

export function RuleStatusBadge({ status }: { status: AlertRule['status'] }) {
  return (
    <span className={status === 'active' ? 'badge badge-resolved' : 'badge badge-unresolved'}>
      {status === 'active' ? 'Active' : 'Disabled'}
    </span>
  );
}
