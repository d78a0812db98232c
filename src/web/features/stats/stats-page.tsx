import './stats.css';

import { useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { statsOptions, STATS_PERIODS, type StatsParams, type StatsPeriod } from './query-options';
import { StatsChart } from './stats-chart';
import { toOutcomeSeries, toReasonRows } from './stats-series';

/** Data categories the page offers, with their labels. `error` includes default and security. */
const CATEGORIES = [
  { value: 'error', label: 'Errors' },
  { value: 'transaction', label: 'Transactions' },
  { value: 'span', label: 'Spans' },
  { value: 'attachment_item', label: 'Attachments' },
  { value: 'attachment', label: 'Attachments (bytes)' },
  { value: 'session', label: 'Sessions' },
  { value: 'monitor', label: 'Cron check-ins' },
  { value: 'log_item', label: 'Logs' },
  { value: 'replay', label: 'Replays' },
  { value: 'profile', label: 'Profiles' },
  { value: 'feedback', label: 'User feedback' },
] as const;

const OUTCOME_LABELS: Record<string, string> = {
  accepted: 'Accepted',
  filtered: 'Filtered',
  rate_limited: 'Rate limited',
  invalid: 'Invalid',
  abuse: 'Abuse',
  client_discard: 'Client discarded',
  cardinality_limited: 'Cardinality limited',
};

/** Reads the page's filters from the URL, with defaults for missing or unknown values. */
function readStatsParams(searchParams: URLSearchParams): StatsParams {
  const period = searchParams.get('statsPeriod');
  const category = searchParams.get('category');
  return {
    period: STATS_PERIODS.find((candidate) => candidate === period) ?? '24h',
    projectId: searchParams.get('project'),
    category: CATEGORIES.find((candidate) => candidate.value === category)?.value ?? 'error',
  };
}

/**
 * Renders what happened to the organization's data per hour: accepted, filtered, rate
 * limited, invalid and discarded by the SDKs, for one data category, with the reasons.
 */
export function StatsPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readStatsParams(searchParams);
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const statsQuery = useQuery(statsOptions(orgSlug, params));
  useDocumentTitle(['Stats', orgSlug]);

  function changeParam(name: string, value: string | null) {
    const next = new URLSearchParams(searchParams);
    if (value === null || value === '') {
      next.delete(name);
    } else {
      next.set(name, value);
    }
    setSearchParams(next);
  }

  const categoryLabel =
    CATEGORIES.find((candidate) => candidate.value === params.category)?.label ?? params.category;

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Stats</h1>
      </div>

      <div className="stats-toolbar">
        <div className="button-group" role="group" aria-label="Period">
          {STATS_PERIODS.map((period: StatsPeriod) => (
            <button
              key={period}
              type="button"
              className={period === params.period ? 'button button-active' : 'button'}
              aria-pressed={period === params.period}
              onClick={() => {
                changeParam('statsPeriod', period);
              }}
            >
              {period}
            </button>
          ))}
        </div>
        <label className="stats-filter">
          <span>Project</span>
          <select
            value={params.projectId ?? ''}
            onChange={(event) => {
              changeParam('project', event.target.value);
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
        <label className="stats-filter">
          <span>Category</span>
          <select
            value={params.category}
            onChange={(event) => {
              changeParam('category', event.target.value);
            }}
          >
            {CATEGORIES.map((category) => (
              <option key={category.value} value={category.value}>
                {category.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <StatsBody
        isPending={statsQuery.isPending}
        error={statsQuery.isError}
        onRetry={() => void statsQuery.refetch()}
        data={statsQuery.data}
        title={`${categoryLabel} per hour, last ${params.period}`}
      />
    </main>
  );
}

interface StatsBodyProps {
  isPending: boolean;
  error: boolean;
  onRetry: () => void;
  data: Parameters<typeof toOutcomeSeries>[0] | undefined;
  title: string;
}

function StatsBody({ isPending, error, onRetry, data, title }: StatsBodyProps) {
  if (isPending) {
    return <LoadingIndicator />;
  }
  if (error || data === undefined) {
    return <LoadError message="Unable to load the stats." onRetry={onRetry} />;
  }

  const series = toOutcomeSeries(data);
  const reasons = toReasonRows(data);

  return (
    <>
      <Panel title={title}>
        <StatsChart intervals={data.intervals} series={series} label={title} />
        <ul className="stats-legend" aria-label="Totals">
          {series.map((entry) => (
            <li key={entry.outcome}>
              <span className={`stats-swatch stats-${entry.outcome}`} aria-hidden="true" />
              {entry.label}
              <strong data-outcome={entry.outcome}>{entry.total.toLocaleString()}</strong>
            </li>
          ))}
        </ul>
      </Panel>

      <Panel title="Reasons">
        {reasons.length === 0 ? (
          <p className="muted">Nothing was received in this period.</p>
        ) : (
          <table className="data-table stats-reasons">
            <thead>
              <tr>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
                <th scope="col" className="stats-number">
                  Quantity
                </th>
              </tr>
            </thead>
            <tbody>
              {reasons.map((row) => (
                <tr key={`${row.outcome}|${row.reason}`}>
                  <td>{OUTCOME_LABELS[row.outcome] ?? row.outcome}</td>
                  <td className="mono">{row.reason}</td>
                  <td className="stats-number">{row.total.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
