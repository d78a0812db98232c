import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import type { Monitor } from '../../../shared/api/crons';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { RelativeTime } from '../../components/relative-time';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeSchedule } from './monitor-format';
import { NewMonitorForm } from './new-monitor-form';
import { monitorListOptions, monitorPath } from './query-options';
import { StatusBadge } from './status-badge';
import './crons.css';

/**
 * Renders an organization's cron monitors with their schedule and status per environment, and
 * the form that creates a monitor.
 */
export function MonitorListPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const projectId = searchParams.get('project');
  const monitorsQuery = useQuery(monitorListOptions(orgSlug, projectId));
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const [isCreating, setIsCreating] = useState(false);
  useDocumentTitle(['Crons', orgSlug]);

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Crons</h1>
        {isCreating ? null : (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setIsCreating(true);
            }}
          >
            New monitor
          </button>
        )}
      </div>
      {isCreating ? (
        <NewMonitorForm
          orgSlug={orgSlug}
          defaultProjectId={projectId}
          onCancel={() => {
            setIsCreating(false);
          }}
        />
      ) : null}
      <div className="issue-toolbar">
        <label className="sort-select">
          <span>Project</span>
          <select
            aria-label="Filter by project"
            value={projectId ?? ''}
            onChange={(event) => {
              setSearchParams(event.target.value === '' ? {} : { project: event.target.value });
            }}
          >
            <option value="">All projects</option>
            {(projectsQuery.data ?? []).map((project) => (
              <option key={project.id} value={project.id}>
                {project.slug}
              </option>
            ))}
          </select>
        </label>
      </div>

      <section className="panel" aria-busy={monitorsQuery.isFetching}>
        {monitorsQuery.isPending ? (
          <LoadingIndicator label="Loading monitors…" />
        ) : monitorsQuery.isError ? (
          <LoadError
            message="Unable to load monitors."
            onRetry={() => void monitorsQuery.refetch()}
          />
        ) : monitorsQuery.data.length === 0 ? (
          <EmptyState title="No monitors yet">
            <p className="muted">
              Create a monitor with <strong>New monitor</strong> to get its HTTP check-in URL. A
              monitor also appears here when an SDK sends a check-in with a monitor config, for
              example with <code>Sentry.withMonitor</code>.
            </p>
          </EmptyState>
        ) : (
          <MonitorTable orgSlug={orgSlug} monitors={monitorsQuery.data} />
        )}
      </section>
    </main>
  );
}

function MonitorTable({ orgSlug, monitors }: { orgSlug: string; monitors: Monitor[] }) {
  return (
    <table className="data-table monitor-table">
      <thead>
        <tr>
          <th scope="col">Monitor</th>
          <th scope="col">Project</th>
          <th scope="col">Schedule</th>
          <th scope="col">Status</th>
          <th scope="col">Last check-in</th>
          <th scope="col">Next check-in</th>
        </tr>
      </thead>
      <tbody>
        {monitors.map((monitor) => {
          const latest = monitor.environments[0];
          return (
            <tr key={monitor.id} data-monitor={monitor.slug}>
              <th scope="row" className="monitor-name">
                <Link to={monitorPath(orgSlug, monitor.slug)}>{monitor.name}</Link>
                {monitor.name === monitor.slug ? null : (
                  <div className="muted monitor-slug">{monitor.slug}</div>
                )}
              </th>
              <td>{monitor.project.slug}</td>
              <td className="monitor-schedule">{describeSchedule(monitor.config)}</td>
              <td>
                <div className="monitor-statuses">
                  {monitor.environments.length === 0 ? (
                    <span className="muted">No check-ins</span>
                  ) : (
                    monitor.environments.map((environment) => (
                      <StatusBadge
                        key={environment.name}
                        status={environment.status}
                        prefix={environment.name}
                      />
                    ))
                  )}
                </div>
              </td>
              <td>
                <RelativeTime date={latest?.lastCheckIn ?? null} />
              </td>
              <td>
                <RelativeTime date={latest?.nextCheckIn ?? null} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
