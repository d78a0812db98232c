import { queryOptions, useQuery } from '@tanstack/react-query';

import type { PicketStatus } from '../../../shared/api/status';
import { fetchApi } from '../../lib/api-client';

const POLL_INTERVAL_MS = 30_000;

/** Loads how far processing is behind, again every 30 seconds while a page is open. */
export function picketStatusOptions() {
  return queryOptions({
    queryKey: ['picket-status'] as const,
    queryFn: ({ signal }) => fetchApi<PicketStatus>('/api/0/picket/status/', { signal }),
    refetchInterval: POLL_INTERVAL_MS,
    staleTime: POLL_INTERVAL_MS,
  });
}

/**
 * Renders a warning across the app header while the worker lags behind ingest, so that users
 * know why new events have not appeared yet. Renders nothing otherwise, or when the status
 * cannot be loaded.
 */
export function BacklogBanner() {
  const statusQuery = useQuery(picketStatusOptions());
  const status = statusQuery.data;

  if (status === undefined || !status.processingBehind) {
    return null;
  }

  return (
    <div className="backlog-banner" role="status">
      <strong>Processing is behind:</strong> {describeBacklog(status)} New events will appear late.
    </div>
  );
}

const countFormat = new Intl.NumberFormat('en-US');

function describeBacklog({ queue }: PicketStatus): string {
  const waiting =
    queue.depth === null
      ? 'items are waiting'
      : `${countFormat.format(queue.depth)} ${queue.depth === 1 ? 'item' : 'items'} waiting`;
  if (queue.lagSeconds === null) {
    return `${waiting}.`;
  }

  const minutes = Math.round(queue.lagSeconds / 60);
  const age =
    minutes < 1
      ? 'less than a minute'
      : `about ${countFormat.format(minutes)} ${minutes === 1 ? 'minute' : 'minutes'}`;
  return `${waiting}, the oldest waiting for ${age}.`;
}
