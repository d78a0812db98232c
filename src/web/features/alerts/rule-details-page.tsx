import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { ACTION_IDS, type AlertRule } from '../../../shared/api/alerts';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import {
  alertKeys,
  ruleDeliveriesOptions,
  ruleHistoryOptions,
  ruleOptions,
  sendTestNotification,
} from './alerts-api';
import { RuleStatusBadge } from './badges';
import { DeliveryTable } from './delivery-table';
import { Breadcrumb, RuleLoadError } from './rule-page-parts';
import { SigningSecret } from './rule-node-fields';
import { summarizeRule } from './rule-summary';
import { useTargetNames } from './use-target-names';
import './alerts.css';

/** Renders a rule in words, the issues it fired for and the notifications it sent. */
export function RuleDetailsPage() {
  const { orgSlug = '', projectSlug = '', ruleId = '' } = useParams();
  const ruleQuery = useQuery(ruleOptions(orgSlug, projectSlug, ruleId));
  useDocumentTitle([ruleQuery.data?.name, 'Alert rules', orgSlug]);

  if (ruleQuery.isPending) {
    return <LoadingIndicator label="Loading alert rule…" />;
  }
  if (ruleQuery.isError) {
    return <RuleLoadError orgSlug={orgSlug} error={ruleQuery.error} onRetry={ruleQuery.refetch} />;
  }

  const rule = ruleQuery.data;
  return (
    <main className="page page-wide">
      <Breadcrumb orgSlug={orgSlug} current={rule.name} />
      <div className="page-heading">
        <div className="rule-title">
          <h1>{rule.name}</h1>
          <RuleStatusBadge status={rule.status} />
        </div>
        <Link to="edit/" className="button">
          Edit rule
        </Link>
      </div>
      <p className="muted">
        {`Project ${projectSlug}`} ·{' '}
        <RelativeTime date={rule.lastTriggered} prefix="Last triggered" />
      </p>
      <RuleSummaryPanel orgSlug={orgSlug} rule={rule} />
      <TestNotificationPanel orgSlug={orgSlug} projectSlug={projectSlug} ruleId={rule.id} />
      <HistoryPanel orgSlug={orgSlug} projectSlug={projectSlug} ruleId={rule.id} />
      <DeliveriesPanel orgSlug={orgSlug} projectSlug={projectSlug} ruleId={rule.id} />
    </main>
  );
}

function RuleSummaryPanel({ orgSlug, rule }: { orgSlug: string; rule: AlertRule }) {
  const names = useTargetNames(orgSlug);
  const summary = summarizeRule(rule, names);
  const secrets = rule.actions.flatMap((action) =>
    action.id === ACTION_IDS.webhook && typeof action.secret === 'string'
      ? [{ url: typeof action.url === 'string' ? action.url : '', secret: action.secret }]
      : [],
  );

  return (
    <Panel title="Rule" className="panel-padded rule-summary">
      <p>{summary.environment}.</p>
      <p>{summary.when}</p>
      <ul className="rule-summary-list">
        {summary.conditions.map((text, index) => (
          <li key={index}>{text}</li>
        ))}
      </ul>
      {summary.filtersIntro === null ? null : (
        <>
          <p>{summary.filtersIntro}</p>
          <ul className="rule-summary-list">
            {summary.filters.map((text, index) => (
              <li key={index}>{text}</li>
            ))}
          </ul>
        </>
      )}
      <p>Then:</p>
      <ul className="rule-summary-list">
        {summary.actions.map((text, index) => (
          <li key={index}>{text}</li>
        ))}
      </ul>
      <p>{summary.interval}</p>
      {secrets.map(({ url, secret }, index) => (
        <div key={index} className="subsection">
          <p className="muted">
            {`Webhook ${url}: check each request's X-Picket-Signature, an HMAC-SHA256 of "<X-Picket-Timestamp>.<body>" with this secret.`}
          </p>
          <SigningSecret secret={secret} />
        </div>
      ))}
    </Panel>
  );
}

interface RulePanelProps {
  orgSlug: string;
  projectSlug: string;
  ruleId: string;
}

function TestNotificationPanel({ orgSlug, projectSlug, ruleId }: RulePanelProps) {
  const queryClient = useQueryClient();
  const testMutation = useMutation({
    mutationFn: () => sendTestNotification(orgSlug, projectSlug, ruleId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: alertKeys.deliveries(orgSlug, projectSlug, ruleId),
      });
    },
  });

  return (
    <Panel
      title="Test"
      actions={
        <button
          type="button"
          className="button button-small"
          disabled={testMutation.isPending}
          onClick={() => {
            testMutation.mutate();
          }}
        >
          {testMutation.isPending ? 'Sending…' : 'Send test notification'}
        </button>
      }
      className="panel-padded"
    >
      {testMutation.isIdle ? (
        <p className="muted">
          Sends each action of the rule once now, with the project's latest issue or a sample.
        </p>
      ) : null}
      {testMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('send the test notification', testMutation.error)}
        </div>
      ) : null}
      {testMutation.isSuccess ? (
        <div className="alert alert-success" role="status">
          {testMutation.data.length === 0
            ? 'The rule has no actions to test.'
            : `Queued ${testMutation.data.length} test notification${testMutation.data.length === 1 ? '' : 's'}:`}
          <ul>
            {testMutation.data.map((delivery) => (
              <li key={delivery.id}>{`${delivery.channel} to ${delivery.target}`}</li>
            ))}
          </ul>
          {/* The queued rows' status is not refetched here, so the results are pointed to. */}
          {testMutation.data.length === 0 ? null : (
            <p>Their results appear under Deliveries below within seconds.</p>
          )}
        </div>
      ) : null}
    </Panel>
  );
}

function HistoryPanel({ orgSlug, projectSlug, ruleId }: RulePanelProps) {
  const historyQuery = useQuery(ruleHistoryOptions(orgSlug, projectSlug, ruleId));

  return (
    <Panel title="Fired alerts (last 14 days)">
      {historyQuery.isPending ? <LoadingIndicator /> : null}
      {historyQuery.isError ? (
        <LoadError
          message="Unable to load the rule's history."
          onRetry={() => void historyQuery.refetch()}
        />
      ) : null}
      {historyQuery.isSuccess && historyQuery.data.length === 0 ? (
        <EmptyState title="No alerts fired yet" />
      ) : null}
      {historyQuery.isSuccess && historyQuery.data.length > 0 ? (
        <table className="data-table history-table">
          <thead>
            <tr>
              <th scope="col">Issue</th>
              <th scope="col">Alerts</th>
              <th scope="col">Last triggered</th>
            </tr>
          </thead>
          <tbody>
            {historyQuery.data.map((entry) => (
              <tr key={entry.group.id}>
                <td>
                  <Link
                    to={`/organizations/${encodeURIComponent(orgSlug)}/issues/${encodeURIComponent(entry.group.id)}/`}
                  >
                    {entry.group.title}
                  </Link>
                  <div className="muted">{entry.group.shortId}</div>
                </td>
                <td>{entry.count}</td>
                <td>
                  <RelativeTime date={entry.lastTriggered} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}

function DeliveriesPanel({ orgSlug, projectSlug, ruleId }: RulePanelProps) {
  const deliveriesQuery = useQuery(ruleDeliveriesOptions(orgSlug, projectSlug, ruleId));

  return (
    <Panel title="Deliveries">
      {deliveriesQuery.isPending ? <LoadingIndicator /> : null}
      {deliveriesQuery.isError ? (
        <LoadError
          message="Unable to load the rule's deliveries."
          onRetry={() => void deliveriesQuery.refetch()}
        />
      ) : null}
      {deliveriesQuery.isSuccess && deliveriesQuery.data.length === 0 ? (
        <EmptyState title="No notifications sent yet" />
      ) : null}
      {deliveriesQuery.isSuccess && deliveriesQuery.data.length > 0 ? (
        <DeliveryTable deliveries={deliveriesQuery.data} />
      ) : null}
    </Panel>
  );
}
