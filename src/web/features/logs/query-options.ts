import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type { Log } from '../../../shared/api/logs';
import { requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';
import type { LogListParams } from './log-list-params';

export const LOG_PAGE_SIZE = 50;

export interface LogListResult {
  logs: Log[];
  pageLinks: PageLinks;
}

/** Loads one page of an organization's logs, newest first. */
export function logListOptions(orgSlug: string, params: LogListParams) {
  return queryOptions({
    queryKey: ['logs', orgSlug, 'list', params] as const,
    queryFn: async ({ signal }): Promise<LogListResult> => {
      const response = await requestApi<Log[]>(
        `/api/0/organizations/${encodeURIComponent(orgSlug)}/logs/`,
        {
          query: {
            level: params.levels.length === 0 ? undefined : params.levels.join(','),
            query: params.query === '' ? undefined : params.query,
            traceId: params.traceId === '' ? undefined : params.traceId,
            project: params.projectId ?? undefined,
            per_page: LOG_PAGE_SIZE,
            cursor: params.cursor ?? undefined,
          },
          signal,
        },
      );

      return { logs: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
  });
}
