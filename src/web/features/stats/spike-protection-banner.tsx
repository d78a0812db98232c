import './stats.css';

import { useQuery } from '@tanstack/react-query';

import { organizationIngestControlsOptions } from './query-options';

interface SpikeProtectionBannerProps {
  orgSlug: string;
  /** Shows only this project (numeric id), or every project of the organization when null. */
  projectId: string | null;
}

/** Renders a notice for each project whose spike protection is dropping events now. */
export function SpikeProtectionBanner({ orgSlug, projectId }: SpikeProtectionBannerProps) {
  const controlsQuery = useQuery(organizationIngestControlsOptions(orgSlug));
  const active = (controlsQuery.data ?? []).filter(
    (entry) =>
      entry.spikeProtection.active && (projectId === null || entry.project.id === projectId),
  );

  if (active.length === 0) {
    return null;
  }

  return (
    <>
      {active.map((entry) => {
        const threshold = entry.spikeProtection.groups.find(
          (group) => group.category === 'error',
        )?.thresholdPerMinute;
        return (
          <div key={entry.project.id} className="alert alert-warning spike-banner" role="status">
            <span>
              Spike protection is active for <strong>{entry.project.slug}</strong>: events above the
              usual rate
              {threshold === null || threshold === undefined
                ? ''
                : ` (more than ${threshold.toLocaleString()} errors a minute)`}{' '}
              are being dropped until the rate falls back.
            </span>
          </div>
        );
      })}
    </>
  );
}
