import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import { RULE_CATALOG, type AlertRule } from '../../../shared/api/alerts';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { RelativeTime } from '../../components/relative-time';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { combinedRulesOptions, ruleDetailsPage } from './alerts-api';
import { RuleStatusBadge } from './badges';
import { summarizeNodes } from './rule-summary';
import { useTargetNames } from './use-target-names';
import './alerts.css';

/** Renders the alert rules of every project the user can see, optionally of one project. */
export function AlertListPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const projectSlug = searchParams.get('project');
  const rulesQuery = useQuery(combinedRulesOptions(orgSlug));
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  useDocumentTitle(['Alerts', orgSlug]);

  const newRulePath =
    projectSlug === null
      ? `/organizations/${orgSlug}/alerts/new/issue/`
      : `/organizations/${orgSlug}/alerts/new/issue/?project=${encodeURIComponent(projectSlug)}`;
  const rules = (rulesQuery.data ?? []).filter(
    (rule) => projectSlug === null || rule.projects.includes(projectSlug),
  );

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Alert rules</h1>
        <Link to={newRulePath} className="button button-primary">
          Create alert rule
        </Link>
      </div>
      <div className="issue-toolbar">
        <label className="sort-select">
          <span>Project</span>
          <select
            aria-label="Filter by project"
            value={projectSlug ?? ''}
            onChange={(event) => {
              setSearchParams(event.target.value === '' ? {} : { project: event.target.value });
            }}
          >
            <option value="">All projects</option>
            {(projectsQuery.data ?? []).map((project) => (
              <option key={project.id} value={project.slug}>
                {project.slug}
              </option>
            ))}
          </select>
        </label>
      </div>

      <section className="panel" aria-busy={rulesQuery.isFetching}>
        {rulesQuery.isPending ? (
          <LoadingIndicator label="Loading alert rules…" />
        ) : rulesQuery.isError ? (
          <LoadError
            message="Unable to load alert rules."
            onRetry={() => void rulesQuery.refetch()}
          />
        ) : rules.length === 0 ? (
          <EmptyState title="No alert rules yet">
            <p className="muted">
              An alert rule watches the issues of a project. When its conditions are met, such as a
              new issue or an issue seen more than 100 times in an hour, and its filters match, it
              sends an e-mail, a signed webhook, or a Slack, Discord or Teams message. Use{' '}
              <strong>Create alert rule</strong> to write one.
            </p>
          </EmptyState>
        ) : (
          <RuleTable orgSlug={orgSlug} rules={rules} />
        )}
      </section>
    </main>
  );
}

function RuleTable({ orgSlug, rules }: { orgSlug: string; rules: AlertRule[] }) {
  const names = useTargetNames(orgSlug);
  return (
    <table className="data-table rule-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Project</th>
          <th scope="col">Conditions</th>
          <th scope="col">Actions</th>
          <th scope="col">Last triggered</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => {
          const projectSlug = rule.projects[0] ?? '';
          return (
            <tr key={`${projectSlug}/${rule.id}`} data-rule={rule.id}>
              <th scope="row" className="rule-name">
                <Link to={ruleDetailsPage(orgSlug, projectSlug, rule.id)}>{rule.name}</Link>
              </th>
              <td>{rule.projects.join(', ')}</td>
              <td className="rule-summary-cell">
                {summarizeNodes(RULE_CATALOG.conditions, rule.conditions)}
              </td>
              <td className="rule-summary-cell">
                {summarizeNodes(RULE_CATALOG.actions, rule.actions, names)}
              </td>
              <td>
                <RelativeTime date={rule.lastTriggered} />
              </td>
              <td>
                <RuleStatusBadge status={rule.status} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
