import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { issueAlertsOptions, ruleDetailsPage } from './alerts-api';
import { DeliveryStatusBadge } from './badges';
import { describeReason } from './rule-summary';
import './alerts.css';

interface IssueAlertsPanelProps {
  orgSlug: string;
  issueId: string;
  projectSlug: string;
}

/** Lists the alert rules that fired for an issue, newest first, with each delivery's status. */
export function IssueAlertsPanel({ orgSlug, issueId, projectSlug }: IssueAlertsPanelProps) {
  const alertsQuery = useQuery(issueAlertsOptions(orgSlug, issueId));

  return (
    <Panel title="Alerts" className="issue-alerts">
      {alertsQuery.isPending ? <LoadingIndicator /> : null}
      {alertsQuery.isError ? (
        <LoadError
          message="Unable to load the issue's alerts."
          onRetry={() => void alertsQuery.refetch()}
        />
      ) : null}
      {alertsQuery.isSuccess && alertsQuery.data.length === 0 ? (
        <p className="muted">No alerts fired</p>
      ) : null}
      {alertsQuery.isSuccess && alertsQuery.data.length > 0 ? (
        <ul className="issue-alert-list">
          {alertsQuery.data.map((firing) => (
            <li key={firing.id} data-firing={firing.id}>
              <Link to={ruleDetailsPage(orgSlug, projectSlug, firing.ruleId)}>
                {firing.ruleName}
              </Link>{' '}
              <span className="muted">
                <RelativeTime date={firing.dateFired} />
              </span>
              {firing.reasons.length === 0 ? null : (
                <div className="muted">{firing.reasons.map(describeReason).join(', ')}</div>
              )}
              {firing.deliveries.length === 0 ? null : (
                <div className="issue-alert-deliveries">
                  {firing.deliveries.map((delivery) => (
                    <span
                      key={delivery.id}
                      title={delivery.lastError ?? delivery.target}
                      className="issue-alert-delivery"
                    >
                      {`${delivery.channel} `}
                      <DeliveryStatusBadge status={delivery.status} />
                    </span>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}
