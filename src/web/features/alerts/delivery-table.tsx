import type { NotificationDelivery } from '../../../shared/api/alerts';
import { RelativeTime } from '../../components/relative-time';
import { DeliveryStatusBadge } from './badges';

/** Renders deliveries with their channel, target, status, attempts, response and error. */
export function DeliveryTable({ deliveries }: { deliveries: NotificationDelivery[] }) {
  return (
    <table className="data-table delivery-table">
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">Target</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Response</th>
          <th scope="col">Error</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id} data-delivery={delivery.id}>
            <td>{delivery.source === 'test' ? `${delivery.channel} (test)` : delivery.channel}</td>
            <td className="delivery-target">{delivery.target}</td>
            <td>
              <DeliveryStatusBadge status={delivery.status} />
            </td>
            <td>{delivery.attempts}</td>
            <td>{delivery.responseStatus ?? <span className="muted">—</span>}</td>
            <td className="delivery-error">
              {delivery.lastError ?? <span className="muted">—</span>}
            </td>
            <td>
              <RelativeTime date={delivery.dateFinished ?? delivery.dateCreated} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
