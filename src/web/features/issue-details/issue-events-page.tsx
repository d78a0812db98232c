import {
  keepPreviousData,
  queryOptions,
  useQuery,
  type UseQueryResult,
} from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import type { EventUser } from '../../../shared/api/events';
import type { IssueEventSummary } from '../../../shared/api/issues';
import { EmptyState } from '../../components/empty-state';
import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { RelativeTime } from '../../components/relative-time';
import { SearchForm } from '../../components/search-form';
import { isRequestError, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';
import { issueOptions, issuePath } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';

const EVENT_PAGE_SIZE = 50;

interface IssueEventsResult {
  events: IssueEventSummary[];
  pageLinks: PageLinks;
}

/** Tags shown as columns, in this order, when an event has them. */
const TAG_COLUMNS = ['environment', 'release'] as const;

function issueEventsOptions(
  orgSlug: string,
  issueId: string,
  query: string,
  cursor: string | null,
) {
  return queryOptions({
    queryKey: ['issue-events', orgSlug, issueId, query, cursor],
    queryFn: async ({ signal }): Promise<IssueEventsResult> => {
      const response = await requestApi<IssueEventSummary[]>(
        `${issuePath(orgSlug, issueId)}events/`,
        {
          query: { query, cursor: cursor ?? undefined, limit: EVENT_PAGE_SIZE },
          signal,
        },
      );
      return { events: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
  });
}

/**
 * Renders the events of an issue, newest first, with a search in Sentry's syntax (free text in
 * the title, `key:value` tags, `environment:`, `release:`, `level:`, `has:`, negation).
 */
export function IssueEventsPage() {
  const { orgSlug = '', issueId = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = searchParams.get('query') ?? '';
  const cursor = searchParams.get('cursor');
  const issueQuery = useQuery(issueOptions(orgSlug, issueId));
  const eventsQuery = useQuery(issueEventsOptions(orgSlug, issueId, query, cursor));
  const issueUrl = `/organizations/${orgSlug}/issues/${issueId}/`;
  useDocumentTitle(['Events', issueQuery.data?.title, orgSlug]);

  function changeSearch(changes: { query?: string; cursor?: string | null }) {
    const next = new URLSearchParams(searchParams);
    if (changes.query !== undefined) {
      if (changes.query === '') {
        next.delete('query');
      } else {
        next.set('query', changes.query);
      }
      next.delete('cursor');
    }
    if (changes.cursor !== undefined) {
      if (changes.cursor === null) {
        next.delete('cursor');
      } else {
        next.set('cursor', changes.cursor);
      }
    }
    setSearchParams(next);
  }

  const pageLinks = eventsQuery.data?.pageLinks;

  return (
    <main className="page page-wide issue-events">
      <nav className="breadcrumb-nav" aria-label="Breadcrumb">
        <Link to={`/organizations/${orgSlug}/issues/`}>Issues</Link>
        <span aria-hidden="true"> › </span>
        <Link to={issueUrl}>{issueQuery.data?.shortId ?? issueId}</Link>
        <span aria-hidden="true"> › </span>
        <span>Events</span>
      </nav>
      <h1 className="issue-events-title">
        {issueQuery.data === undefined ? 'Events' : `Events of ${issueQuery.data.title}`}
      </h1>
      <SearchForm
        key={query}
        className="issue-events-search"
        label="Search events"
        placeholder="Search events: text, browser:Chrome, environment:production, !has:user"
        initialText={query}
        onSearch={(text) => {
          changeSearch({ query: text.trim() });
        }}
      />
      <EventsBody
        eventsQuery={eventsQuery}
        issueUrl={issueUrl}
        hasSearch={query !== ''}
        onRetry={() => void eventsQuery.refetch()}
      />
      {pageLinks === undefined ||
      (!pageLinks.previous?.hasResults && !pageLinks.next?.hasResults) ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults ?? false}
          hasNext={pageLinks.next?.hasResults ?? false}
          onPrevious={() => {
            changeSearch({ cursor: pageLinks.previous?.cursor ?? null });
          }}
          onNext={() => {
            changeSearch({ cursor: pageLinks.next?.cursor ?? null });
          }}
        />
      )}
    </main>
  );
}

interface EventsBodyProps {
  eventsQuery: UseQueryResult<IssueEventsResult>;
  issueUrl: string;
  hasSearch: boolean;
  onRetry: () => void;
}

function EventsBody({ eventsQuery, issueUrl, hasSearch, onRetry }: EventsBodyProps) {
  if (eventsQuery.isPending) {
    return <LoadingIndicator label="Loading events…" />;
  }
  if (eventsQuery.isError) {
    // A 400 is a search the server cannot run: its message names the token.
    const error = eventsQuery.error;
    if (isRequestError(error, 400) && error.detail !== null) {
      return <LoadError message={error.detail} />;
    }
    return <LoadError message="Unable to load events." onRetry={onRetry} />;
  }
  if (eventsQuery.data.events.length === 0) {
    return (
      <EmptyState title={hasSearch ? 'No events match your search' : 'No events'}>
        <p>
          {hasSearch
            ? 'Try fewer filters, or check the spelling of tag keys and values.'
            : 'Events of this issue may have been deleted by retention.'}
        </p>
      </EmptyState>
    );
  }

  return (
    <table className="issue-events-table">
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Time</th>
          <th scope="col">Title</th>
          {TAG_COLUMNS.map((key) => (
            <th key={key} scope="col">
              {columnLabel(key)}
            </th>
          ))}
          <th scope="col">User</th>
        </tr>
      </thead>
      <tbody>
        {eventsQuery.data.events.map((event) => (
          <tr key={event.eventID}>
            <td className="mono">
              <Link to={`${issueUrl}?event=${encodeURIComponent(event.eventID)}`}>
                {event.eventID.slice(0, 8)}
              </Link>
            </td>
            <td>
              <RelativeTime date={event.dateCreated} />
            </td>
            <td>
              <EventText>{event.title}</EventText>
            </td>
            {TAG_COLUMNS.map((key) => (
              <td key={key}>{event.tags.find((tag) => tag.key === key)?.value ?? ''}</td>
            ))}
            <td>{userLabel(event.user)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function userLabel(user: EventUser | null): string {
  if (user === null) {
    return '';
  }
  return user.email ?? user.username ?? user.id ?? user.ip_address ?? '';
}

/** A tag key as a column header, with its first letter capitalized as the other headers are. */
function columnLabel(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
