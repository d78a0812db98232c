import './filters.css';

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import type { FilterReason } from '../../../shared/api/filters';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CustomFiltersForm } from './custom-filters-form';
import { FilterToggleRow } from './filter-toggle-row';
import { LegacyBrowserFilter } from './legacy-browser-filter';
import { filterStatsOptions, projectDetailsOptions, projectFiltersOptions } from './query-options';

/**
 * Renders a project's inbound filters: the on/off filters, the legacy-browser sub-filters and
 * the custom lists, each with the number of events it dropped in the last 30 days.
 */
export function FiltersPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  const filtersQuery = useQuery(projectFiltersOptions(orgSlug, projectSlug));
  const detailsQuery = useQuery(projectDetailsOptions(orgSlug, projectSlug));
  const statsQuery = useQuery(filterStatsOptions(orgSlug, projectSlug));
  useDocumentTitle(['Inbound Filters', projectSlug, orgSlug]);

  if (filtersQuery.isPending || detailsQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (filtersQuery.isError || detailsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the project's inbound filters."
          onRetry={() => {
            void filtersQuery.refetch();
            void detailsQuery.refetch();
          }}
        />
      </main>
    );
  }

  const counts: Partial<Record<FilterReason, number>> = statsQuery.data?.counts ?? {};
  const project = detailsQuery.data;

  return (
    <main className="page filters-page">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{project.slug}</div>
          <h1>Inbound Filters</h1>
        </div>
        <div className="button-group">
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/keys/`} className="button">
            Client keys
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/grouping/`} className="button">
            Grouping
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/source-maps/`} className="button">
            Source maps
          </Link>
        </div>
      </div>
      <p className="page-intro">
        Filters drop matching events before they are grouped or stored. Dropped events count as
        filtered outcomes, not as accepted events. Changes apply to new events within a few seconds.
      </p>
      {statsQuery.isError ? (
        <LoadError
          message="Unable to load how many events the filters dropped."
          onRetry={() => void statsQuery.refetch()}
        />
      ) : null}

      <Panel title="Filters">
        {filtersQuery.data.map((filter) =>
          filter.id === 'legacy-browsers' ? (
            <LegacyBrowserFilter
              key={filter.id}
              orgSlug={orgSlug}
              projectSlug={projectSlug}
              filter={filter}
              droppedCount={counts[filter.id]}
            />
          ) : (
            <FilterToggleRow
              key={filter.id}
              orgSlug={orgSlug}
              projectSlug={projectSlug}
              filter={filter}
              droppedCount={counts[filter.id]}
            />
          ),
        )}
      </Panel>

      <Panel title="Custom filters">
        <CustomFiltersForm
          orgSlug={orgSlug}
          projectSlug={projectSlug}
          options={project.options}
          counts={counts}
        />
      </Panel>
    </main>
  );
}
