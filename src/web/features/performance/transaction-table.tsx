import { Link } from 'react-router';

import type { TransactionSummary } from '../../../shared/api/performance';
import { EventText } from '../../components/event-text';
import { RelativeTime } from '../../components/relative-time';
import { formatDuration } from './format-duration';
import { tracePagePath } from './performance-query-options';
import { SpanStatus } from './span-status';

interface TransactionTableProps {
  orgSlug: string;
  transactions: TransactionSummary[];
}

/** Renders transactions as a table whose names open the transaction's trace. */
export function TransactionTable({ orgSlug, transactions }: TransactionTableProps) {
  return (
    <table className="data-table transaction-table">
      <thead>
        <tr>
          <th scope="col">Transaction</th>
          <th scope="col">Operation</th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th scope="col">Status</th>
          <th scope="col">Project</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {transactions.map((transaction) => (
          <tr
            key={`${transaction.projectID}:${transaction.eventID}`}
            data-event-id={transaction.eventID}
          >
            <td className="transaction-name">
              <Link to={tracePagePath(orgSlug, transaction.traceID, transaction.spanID)}>
                <EventText>{transaction.transaction}</EventText>
              </Link>
            </td>
            <td className="transaction-op">
              {transaction.op === null ? (
                <span className="muted">—</span>
              ) : (
                <EventText>{transaction.op}</EventText>
              )}
            </td>
            <td className="numeric transaction-duration">{formatDuration(transaction.duration)}</td>
            <td>
              <SpanStatus status={transaction.status} />
            </td>
            <td className="transaction-project">{transaction.projectSlug}</td>
            <td className="transaction-time">
              <RelativeTime date={transaction.dateCreated} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
