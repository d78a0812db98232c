import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import type { Monitor } from '../../../shared/api/crons';
import { EmptyState } from '../../components/empty-state';
import { KeyValueTable } from '../../components/key-value-table';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { isRequestError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { CheckInUrlPanel } from './check-in-url-panel';
import { describeSchedule, formatDuration } from './monitor-format';
import {
  checkInListOptions,
  deleteMonitor,
  monitorOptions,
  monitorQueryKeys,
  updateMonitor,
} from './query-options';
import { StatusBadge } from './status-badge';
import './crons.css';

/**
 * Renders one monitor: its check-in URL, its config, its environments and its check-ins,
 * newest first, with buttons to mute and delete it.
 */
export function MonitorDetailsPage() {
  const { orgSlug = '', monitorSlug = '' } = useParams();
  const monitorQuery = useQuery(monitorOptions(orgSlug, monitorSlug));
  useDocumentTitle([monitorSlug, 'Crons', orgSlug]);

  if (monitorQuery.isPending) {
    return <LoadingIndicator label="Loading monitor…" />;
  }

  if (monitorQuery.isError) {
    return (
      <main className="page">
        {isRequestError(monitorQuery.error, 404) ? (
          <EmptyState title="Monitor not found">
            <Link to={`/organizations/${orgSlug}/crons/`} className="button">
              All monitors
            </Link>
          </EmptyState>
        ) : (
          <LoadError
            message="Unable to load the monitor."
            onRetry={() => void monitorQuery.refetch()}
          />
        )}
      </main>
    );
  }

  const monitor = monitorQuery.data;

  return (
    <main className="page page-wide">
      <nav className="breadcrumb-nav" aria-label="Breadcrumb">
        <Link to={`/organizations/${orgSlug}/crons/`}>Crons</Link>
      </nav>
      <div className="page-heading">
        <h1>
          {monitor.name}
          {monitor.isMuted ? <span className="badge monitor-muted">Muted</span> : null}
        </h1>
        <MonitorActions orgSlug={orgSlug} monitor={monitor} />
      </div>

      <div className="monitor-layout">
        <div>
          <CheckInUrlPanel orgSlug={orgSlug} monitor={monitor} />
          <EnvironmentsPanel monitor={monitor} />
          <CheckInsPanel orgSlug={orgSlug} monitorSlug={monitor.slug} />
        </div>
        <Panel title="Configuration">
          <KeyValueTable rows={configRows(monitor)} />
        </Panel>
      </div>
    </main>
  );
}

/** Renders the mute and delete buttons. Deleting waits for the user to confirm it. */
function MonitorActions({ orgSlug, monitor }: { orgSlug: string; monitor: Monitor }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const listPath = `/organizations/${orgSlug}/crons/`;

  const muteMutation = useMutation({
    mutationFn: (isMuted: boolean) => updateMonitor(orgSlug, monitor.slug, { isMuted }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(monitorQueryKeys.detail(orgSlug, monitor.slug), updated);
      await queryClient.invalidateQueries({ queryKey: ['monitors', orgSlug, 'list'] });
    },
  });

  const deleteMutation = useMutation({
    mutationFn: () => deleteMonitor(orgSlug, monitor.slug),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: monitorQueryKeys.detail(orgSlug, monitor.slug) });
      await queryClient.invalidateQueries({ queryKey: ['monitors', orgSlug, 'list'] });
      await navigate(listPath);
    },
  });

  function handleDelete() {
    const question = `Delete the monitor "${monitor.name}" with all its check-ins? This cannot be undone.`;
    if (window.confirm(question)) {
      deleteMutation.mutate();
    }
  }

  const error = muteMutation.error ?? deleteMutation.error;
  const isPending = muteMutation.isPending || deleteMutation.isPending;

  return (
    <div className="monitor-actions">
      {error === null ? null : (
        <span className="alert alert-error" role="alert">
          {describeFailure(
            muteMutation.isError ? 'change the monitor' : 'delete the monitor',
            error,
          )}
        </span>
      )}
      <button
        type="button"
        className="button"
        disabled={isPending}
        onClick={() => {
          muteMutation.mutate(!monitor.isMuted);
        }}
      >
        {monitor.isMuted ? 'Unmute' : 'Mute'}
      </button>
      <button
        type="button"
        className="button button-danger"
        disabled={isPending}
        onClick={handleDelete}
      >
        Delete
      </button>
    </div>
  );
}

function configRows(monitor: Monitor) {
  const { config } = monitor;
  const minutes = (value: number | null, fallback: string) =>
    value === null ? fallback : `${value} min`;

  return [
    { key: 'Slug', value: monitor.slug },
    { key: 'Project', value: monitor.project.slug },
    { key: 'Muted', value: monitor.isMuted ? 'Yes' : 'No' },
    { key: 'Schedule', value: describeSchedule(config) },
    { key: 'Check-in margin', value: minutes(config.checkin_margin, '1 min (default)') },
    { key: 'Max runtime', value: minutes(config.max_runtime, '30 min (default)') },
    { key: 'Failure threshold', value: String(config.failure_issue_threshold ?? 1) },
    { key: 'Recovery threshold', value: String(config.recovery_threshold ?? 1) },
  ];
}

function EnvironmentsPanel({ monitor }: { monitor: Monitor }) {
  return (
    <Panel title="Environments">
      <table className="data-table environment-table">
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Last check-in</th>
            <th scope="col">Next check-in</th>
          </tr>
        </thead>
        <tbody>
          {monitor.environments.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                No check-ins yet. Each environment appears with its first check-in.
              </td>
            </tr>
          ) : null}
          {monitor.environments.map((environment) => (
            <tr key={environment.name} data-environment={environment.name}>
              <th scope="row">{environment.name}</th>
              <td>
                <StatusBadge status={environment.status} />
              </td>
              <td>
                <RelativeTime date={environment.lastCheckIn} />
              </td>
              <td>
                <RelativeTime date={environment.nextCheckIn} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function CheckInsPanel({ orgSlug, monitorSlug }: { orgSlug: string; monitorSlug: string }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const cursor = searchParams.get('cursor');
  const checkInsQuery = useQuery(checkInListOptions(orgSlug, monitorSlug, cursor));
  const pageLinks = checkInsQuery.data?.pageLinks;

  return (
    <Panel title="Check-ins" className="monitor-check-ins">
      {checkInsQuery.isPending ? (
        <LoadingIndicator label="Loading check-ins…" />
      ) : checkInsQuery.isError ? (
        <LoadError
          message="Unable to load check-ins."
          onRetry={() => void checkInsQuery.refetch()}
        />
      ) : (
        <table className="data-table check-in-table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Environment</th>
              <th scope="col">Expected at</th>
            </tr>
          </thead>
          <tbody>
            {checkInsQuery.data.checkIns.map((checkIn) => (
              <tr key={checkIn.id} data-check-in={checkIn.id}>
                <td>
                  <StatusBadge status={checkIn.status} />
                </td>
                <td>
                  <RelativeTime date={checkIn.dateCreated} />
                </td>
                <td>{formatDuration(checkIn.duration)}</td>
                <td>{checkIn.environment}</td>
                <td>
                  <RelativeTime date={checkIn.expectedTime} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageLinks === undefined ||
      (pageLinks.previous?.hasResults !== true && pageLinks.next?.hasResults !== true) ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults === true}
          hasNext={pageLinks.next?.hasResults === true}
          onPrevious={() => {
            setSearchParams({ cursor: pageLinks.previous?.cursor ?? '' });
          }}
          onNext={() => {
            setSearchParams({ cursor: pageLinks.next?.cursor ?? '' });
          }}
        />
      )}
    </Panel>
  );
}
