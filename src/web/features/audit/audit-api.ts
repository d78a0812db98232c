import type { AuditLogPage } from '../../../shared/api/audit';
import { requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';

/** Filters of the audit log page; empty strings mean "any". */
export interface AuditFilters {
  event: string;
  actor: string;
  /** Values of `datetime-local` inputs, read as UTC. */
  start: string;
  end: string;
}

export interface AuditLogResult extends AuditLogPage {
  links: PageLinks;
}

export const auditPath = (orgSlug: string) =>
  `/api/0/organizations/${encodeURIComponent(orgSlug)}/audit-logs/`;

/** Builds the query parameters of the filters; a time range needs both ends. */
export function auditQuery(filters: AuditFilters): Record<string, string | undefined> {
  const hasRange = filters.start !== '' && filters.end !== '';
  return {
    event: filters.event === '' ? undefined : filters.event,
    actor: filters.actor === '' ? undefined : filters.actor,
    start: hasRange ? `${filters.start}:00Z` : undefined,
    end: hasRange ? `${filters.end}:59Z` : undefined,
  };
}

export function auditLogOptions(orgSlug: string, filters: AuditFilters, cursor: string) {
  return {
    queryKey: ['audit-logs', orgSlug, filters, cursor] as const,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<AuditLogResult> => {
      const response = await requestApi<AuditLogPage>(auditPath(orgSlug), {
        query: { ...auditQuery(filters), cursor: cursor === '' ? undefined : cursor, per_page: 50 },
        signal,
      });
      return { ...response.data, links: parseLinkHeader(response.headers.get('link')) };
    },
  };
}

/** URL of an export of every row matching the filters. */
export function auditExportUrl(orgSlug: string, filters: AuditFilters, format: 'csv' | 'json') {
  const params = new URLSearchParams({ format });
  for (const [name, value] of Object.entries(auditQuery(filters))) {
    if (value !== undefined) {
      params.set(name, value);
    }
  }
  return `${auditPath(orgSlug)}export/?${params.toString()}`;
}
