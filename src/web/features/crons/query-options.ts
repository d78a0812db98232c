import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type {
  CreateMonitorRequest,
  Monitor,
  MonitorCheckIn,
  UpdateMonitorRequest,
} from '../../../shared/api/crons';
import { fetchApi, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';

export const CHECK_IN_PAGE_SIZE = 25;

/** Statuses change with time (missed and timed-out check-ins), so monitors are re-read. */
const MONITOR_REFRESH_MS = 30_000;

export interface CheckInListResult {
  checkIns: MonitorCheckIn[];
  pageLinks: PageLinks;
}

export const monitorQueryKeys = {
  list: (orgSlug: string, projectId: string | null) =>
    ['monitors', orgSlug, 'list', projectId] as const,
  detail: (orgSlug: string, slug: string) => ['monitors', orgSlug, 'detail', slug] as const,
  checkIns: (orgSlug: string, slug: string, cursor: string | null) =>
    ['monitors', orgSlug, 'detail', slug, 'check-ins', cursor] as const,
};

const monitorsPath = (orgSlug: string) =>
  `/api/0/organizations/${encodeURIComponent(orgSlug)}/monitors/`;

/** Loads the organization's monitors, failing ones first, optionally of one project. */
export function monitorListOptions(orgSlug: string, projectId: string | null) {
  return queryOptions({
    queryKey: monitorQueryKeys.list(orgSlug, projectId),
    queryFn: ({ signal }) =>
      fetchApi<Monitor[]>(monitorsPath(orgSlug), {
        query: { project: projectId ?? undefined },
        signal,
      }),
    refetchInterval: MONITOR_REFRESH_MS,
  });
}

export function monitorOptions(orgSlug: string, slug: string) {
  return queryOptions({
    queryKey: monitorQueryKeys.detail(orgSlug, slug),
    queryFn: ({ signal }) =>
      fetchApi<Monitor>(`${monitorsPath(orgSlug)}${encodeURIComponent(slug)}/`, { signal }),
    refetchInterval: MONITOR_REFRESH_MS,
  });
}

/** Loads a page of a monitor's check-ins, newest first. */
export function checkInListOptions(orgSlug: string, slug: string, cursor: string | null) {
  return queryOptions({
    queryKey: monitorQueryKeys.checkIns(orgSlug, slug, cursor),
    queryFn: async ({ signal }): Promise<CheckInListResult> => {
      const response = await requestApi<MonitorCheckIn[]>(
        `${monitorsPath(orgSlug)}${encodeURIComponent(slug)}/checkins/`,
        { query: { per_page: CHECK_IN_PAGE_SIZE, cursor: cursor ?? undefined }, signal },
      );
      return { checkIns: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
    refetchInterval: MONITOR_REFRESH_MS,
  });
}

export function monitorPath(orgSlug: string, slug: string): string {
  return `/organizations/${orgSlug}/crons/${encodeURIComponent(slug)}/`;
}

/** Creates a monitor and returns it, with the slug the server chose when none was sent. */
export function createMonitor(orgSlug: string, request: CreateMonitorRequest): Promise<Monitor> {
  return fetchApi<Monitor>(monitorsPath(orgSlug), { method: 'POST', body: request });
}

export function updateMonitor(
  orgSlug: string,
  slug: string,
  request: UpdateMonitorRequest,
): Promise<Monitor> {
  return fetchApi<Monitor>(`${monitorsPath(orgSlug)}${encodeURIComponent(slug)}/`, {
    method: 'PUT',
    body: request,
  });
}

/** Deletes a monitor with its environments and check-ins. */
export async function deleteMonitor(orgSlug: string, slug: string): Promise<void> {
  await requestApi<undefined>(`${monitorsPath(orgSlug)}${encodeURIComponent(slug)}/`, {
    method: 'DELETE',
  });
}
