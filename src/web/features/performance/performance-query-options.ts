import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type { Trace, TransactionSummary } from '../../../shared/api/performance';
import { fetchApi, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';

export const TRANSACTION_PAGE_SIZE = 50;

export interface TransactionListParams {
  /** Text the transaction name must contain. */
  query: string;
  /** Numeric project id, or null for all projects. */
  projectId: string | null;
  cursor: string | null;
}

export interface TransactionListResult {
  transactions: TransactionSummary[];
  pageLinks: PageLinks;
}

const performanceKeys = {
  transactionList: (orgSlug: string, params: TransactionListParams) =>
    ['performance', orgSlug, 'transactions', params] as const,
  trace: (orgSlug: string, traceId: string) => ['performance', orgSlug, 'traces', traceId] as const,
};

/** Loads one page of an organization's transactions, newest first. */
export function transactionListOptions(orgSlug: string, params: TransactionListParams) {
  return queryOptions({
    queryKey: performanceKeys.transactionList(orgSlug, params),
    queryFn: async ({ signal }): Promise<TransactionListResult> => {
      const response = await requestApi<TransactionSummary[]>(
        `/api/0/organizations/${encodeURIComponent(orgSlug)}/transactions/`,
        {
          query: {
            query: params.query === '' ? undefined : params.query,
            project: params.projectId ?? undefined,
            per_page: TRANSACTION_PAGE_SIZE,
            cursor: params.cursor ?? undefined,
          },
          signal,
        },
      );

      return {
        transactions: response.data,
        pageLinks: parseLinkHeader(response.headers.get('Link')),
      };
    },
    placeholderData: keepPreviousData,
  });
}

/** Loads every transaction and span of a trace. */
export function traceOptions(orgSlug: string, traceId: string) {
  return queryOptions({
    queryKey: performanceKeys.trace(orgSlug, traceId),
    queryFn: ({ signal }) =>
      fetchApi<Trace>(
        `/api/0/organizations/${encodeURIComponent(orgSlug)}/traces/${encodeURIComponent(traceId)}/`,
        { signal },
      ),
  });
}

/** Returns the path of a trace's page, optionally with one span selected. */
export function tracePagePath(orgSlug: string, traceId: string, spanId?: string): string {
  const path = `/organizations/${encodeURIComponent(orgSlug)}/traces/${encodeURIComponent(traceId)}/`;
  return spanId === undefined ? path : `${path}?span=${encodeURIComponent(spanId)}`;
}
