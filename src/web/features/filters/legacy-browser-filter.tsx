import type { ProjectFilter } from '../../../shared/api/filters';
import { describeFailure } from '../../lib/user-message';
import { DroppedCount } from './dropped-count';
import {
  CURRENT_SUBFILTERS,
  DEFAULT_SET_DESCRIPTION,
  DEPRECATED_SUBFILTERS,
  type SubfilterLabel,
} from './legacy-browser-labels';
import { useUpdateFilter } from './use-update-filter';

interface LegacyBrowserFilterProps {
  orgSlug: string;
  projectSlug: string;
  filter: ProjectFilter;
  droppedCount: number | undefined;
}

/**
 * Renders the legacy-browser filter as one checkbox per sub-filter. Each change saves the whole
 * list; an empty list switches the filter off.
 */
export function LegacyBrowserFilter({
  orgSlug,
  projectSlug,
  filter,
  droppedCount,
}: LegacyBrowserFilterProps) {
  const mutation = useUpdateFilter(orgSlug, projectSlug, filter.id);
  const chosen = new Set(Array.isArray(filter.active) ? filter.active : []);
  const listed: SubfilterLabel[] = [
    ...CURRENT_SUBFILTERS,
    ...DEPRECATED_SUBFILTERS.filter((subfilter) => chosen.has(subfilter.id)),
  ];

  const save = (subfilters: string[]) => {
    mutation.mutate({ subfilters });
  };
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) {
      next.delete(id);
    } else {
      next.add(id);
    }
    save([...next]);
  };

  return (
    <div className="filter-row filter-row-stacked" data-filter-id={filter.id}>
      <div className="filter-row-text">
        <div className="filter-name-line">
          <h3 className="filter-name">{filter.name}</h3>
          <button
            type="button"
            className="text-toggle"
            disabled={mutation.isPending}
            onClick={() => {
              save(CURRENT_SUBFILTERS.map((subfilter) => subfilter.id));
            }}
          >
            All
          </button>
          <button
            type="button"
            className="text-toggle"
            disabled={mutation.isPending}
            onClick={() => {
              save([]);
            }}
          >
            None
          </button>
        </div>
        <p className="filter-description">{filter.description}</p>
        {filter.active === true ? (
          <p className="filter-description">
            On with the default set: {DEFAULT_SET_DESCRIPTION}. Choosing browsers below replaces it.
          </p>
        ) : null}
        <DroppedCount count={droppedCount} />
        {mutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('change the legacy-browser filter', mutation.error)}
          </div>
        ) : null}
      </div>
      <ul className="subfilter-grid">
        {listed.map((subfilter) => (
          <li key={subfilter.id}>
            <label className="subfilter">
              <input
                type="checkbox"
                checked={chosen.has(subfilter.id)}
                disabled={mutation.isPending}
                data-subfilter={subfilter.id}
                onChange={() => {
                  toggle(subfilter.id);
                }}
              />
              <span>
                <span className="subfilter-browser">{subfilter.browser}</span>
                <span className="subfilter-versions">{subfilter.versions}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
