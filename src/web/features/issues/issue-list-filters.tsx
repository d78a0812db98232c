import { useQuery } from '@tanstack/react-query';

import { environmentsOptions } from './issue-list-api';
import {
  SORT_OPTIONS,
  STATS_PERIOD_OPTIONS,
  type IssueListParams,
  type IssueListSearchKey,
} from './issue-list-params';

interface IssueListFiltersProps {
  orgSlug: string;
  params: IssueListParams;
  onChange: (changes: Partial<Record<IssueListSearchKey, string | null>>) => void;
}

/** Renders the environment, time range and sort selects of the issue list. */
export function IssueListFilters({ orgSlug, params, onChange }: IssueListFiltersProps) {
  const environmentsQuery = useQuery(environmentsOptions(orgSlug));
  const environments = environmentsQuery.data ?? [];
  const hasSelectedEnvironment =
    params.environment === null ||
    environments.some((environment) => environment.name === params.environment);

  return (
    <div className="issue-filters">
      <label className="sort-select">
        <span>Environment</span>
        <select
          value={params.environment ?? ''}
          onChange={(event) => {
            onChange({ environment: event.target.value === '' ? null : event.target.value });
          }}
        >
          <option value="">All environments</option>
          {environments.map((environment) => (
            <option key={environment.name} value={environment.name}>
              {environment.name}
            </option>
          ))}
          {hasSelectedEnvironment || params.environment === null ? null : (
            <option value={params.environment}>{params.environment}</option>
          )}
        </select>
      </label>
      <label className="sort-select">
        <span>Time range</span>
        <select
          value={params.statsPeriod}
          onChange={(event) => {
            onChange({ statsPeriod: event.target.value });
          }}
        >
          {STATS_PERIOD_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="sort-select">
        <span>Sort by</span>
        <select
          value={params.sort}
          onChange={(event) => {
            onChange({ sort: event.target.value });
          }}
        >
          {SORT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
