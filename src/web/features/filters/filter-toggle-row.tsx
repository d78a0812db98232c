import type { ProjectFilter } from '../../../shared/api/filters';
import { describeFailure } from '../../lib/user-message';
import { DroppedCount } from './dropped-count';
import { useUpdateFilter } from './use-update-filter';

interface FilterToggleRowProps {
  orgSlug: string;
  projectSlug: string;
  filter: ProjectFilter;
  droppedCount: number | undefined;
}

/** Renders one on/off filter with its description, its dropped-event count and a switch. */
export function FilterToggleRow({
  orgSlug,
  projectSlug,
  filter,
  droppedCount,
}: FilterToggleRowProps) {
  const mutation = useUpdateFilter(orgSlug, projectSlug, filter.id);
  const isActive = filter.active === true;

  return (
    <div className="filter-row" data-filter-id={filter.id}>
      <div className="filter-row-text">
        <h3 className="filter-name">{filter.name}</h3>
        <p className="filter-description">{filter.description}</p>
        <DroppedCount count={droppedCount} />
        {mutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('change the filter', mutation.error)}
          </div>
        ) : null}
      </div>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-label={filter.name}
          checked={isActive}
          disabled={mutation.isPending}
          onChange={(event) => {
            mutation.mutate({ active: event.target.checked });
          }}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
    </div>
  );
}
