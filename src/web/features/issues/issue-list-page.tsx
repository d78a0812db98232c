import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';

import type { SavedSearch } from '../../../shared/api/issues';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { TabBar } from '../../components/tab-bar';
import { isRequestError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { SpikeProtectionBanner } from '../stats/spike-protection-banner';
import { IssueBulkActions } from './issue-bulk-actions';
import { issueListQueryOptions, type IssueListResult } from './issue-list-api';
import { IssueListEmpty } from './issue-list-empty';
import { IssueListFilters } from './issue-list-filters';
import {
  joinQuery,
  readIssueListParams,
  searchQuery,
  splitQuery,
  STATUS_TABS,
  updateIssueListSearch,
  type IssueListSearchKey,
  type StatusFilter,
} from './issue-list-params';
import { IssueRow } from './issue-row';
import { IssueSearchForm } from './issue-search-form';
import { SavedSearchMenu } from './saved-search-menu';

/** The selected issues, valid only for the view (URL search) they were selected in. */
interface Selection {
  view: string;
  ids: ReadonlySet<string>;
  allMatching: boolean;
}

/**
 * Renders an organization's issue stream with quick filters, search, saved searches, filters,
 * sort, bulk actions and pagination. The filters, sort and page live in the URL, so a link
 * reproduces the view.
 */
export function IssueListPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readIssueListParams(searchParams);
  const { status, text } = splitQuery(params.query);
  const issuesQuery = useQuery(issueListQueryOptions(orgSlug, params));
  const [selection, setSelection] = useState<Selection | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useDocumentTitle(['Issues', orgSlug]);

  const view = searchParams.toString();
  const issues = issuesQuery.data?.issues ?? [];
  const pageIds = new Set(issues.map((issue) => issue.id));
  const current = selection?.view === view ? selection : null;
  const selectedIds = new Set([...(current?.ids ?? [])].filter((id) => pageIds.has(id)));
  const allMatching = current?.allMatching === true && selectedIds.size === issues.length;

  function changeSearch(changes: Partial<Record<IssueListSearchKey, string | null>>) {
    setSearchParams(updateIssueListSearch(searchParams, changes));
  }

  function select(ids: Iterable<string>, nextAllMatching = false) {
    setSelection({ view, ids: new Set(ids), allMatching: nextAllMatching });
  }

  function toggleIssue(issueId: string) {
    const next = new Set(selectedIds);
    if (!next.delete(issueId)) {
      next.add(issueId);
    }
    select(next);
  }

  function applySavedSearch(search: SavedSearch) {
    changeSearch({ query: search.query, sort: search.sort });
  }

  const pageLinks = issuesQuery.data?.pageLinks;

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Issues</h1>
      </div>
      <SpikeProtectionBanner orgSlug={orgSlug} projectId={params.projectId} />
      <TabBar
        tabs={STATUS_TABS}
        selected={status}
        onSelect={(nextStatus: StatusFilter) => {
          changeSearch({ query: joinQuery(nextStatus, text) });
        }}
        label="Status"
      />
      <div className="issue-toolbar">
        <SavedSearchMenu
          orgSlug={orgSlug}
          query={params.query}
          sort={params.sort}
          onApply={applySavedSearch}
          onResult={setMessage}
        />
        <IssueSearchForm
          key={text}
          initialText={text}
          onSearch={(nextText) => {
            changeSearch({ query: searchQuery(status, nextText) });
          }}
        />
      </div>
      <IssueListFilters orgSlug={orgSlug} params={params} onChange={changeSearch} />

      {message === null ? null : (
        <div className="alert alert-info issue-list-message" role="status">
          {message}
          <button
            type="button"
            className="link-button"
            aria-label="Dismiss message"
            onClick={() => {
              setMessage(null);
            }}
          >
            ×
          </button>
        </div>
      )}

      <section className="panel issue-list" aria-busy={issuesQuery.isFetching}>
        <IssueBulkActions
          orgSlug={orgSlug}
          params={params}
          issues={issues}
          selectedIds={selectedIds}
          allMatching={allMatching}
          hits={issuesQuery.data?.hits ?? null}
          onSelectPage={(selected) => {
            select(selected ? pageIds : []);
          }}
          onSelectAllMatching={(selected) => {
            select(pageIds, selected);
          }}
          onResult={setMessage}
        />
        <IssueListBody
          orgSlug={orgSlug}
          query={issuesQuery}
          status={status}
          hasSearchText={text !== ''}
          projectId={params.projectId}
          selectedIds={selectedIds}
          onToggle={toggleIssue}
        />
      </section>

      {pageLinks === undefined ||
      (pageLinks.previous?.hasResults !== true && pageLinks.next?.hasResults !== true) ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults === true}
          hasNext={pageLinks.next?.hasResults === true}
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

interface IssueListBodyProps {
  orgSlug: string;
  query: UseQueryResult<IssueListResult>;
  status: StatusFilter;
  hasSearchText: boolean;
  projectId: string | null;
  selectedIds: ReadonlySet<string>;
  onToggle: (issueId: string) => void;
}

function IssueListBody(props: IssueListBodyProps) {
  const { orgSlug, query } = props;

  if (query.isPending) {
    return <LoadingIndicator label="Loading issues…" />;
  }

  if (query.isError) {
    // A 400 is a search the server cannot run: its message explains why, and retrying cannot help.
    const error = query.error;
    if (isRequestError(error, 400) && error.detail !== null) {
      return <LoadError message={error.detail} />;
    }
    return <LoadError message="Unable to load issues." onRetry={() => void query.refetch()} />;
  }

  if (query.data.issues.length === 0) {
    return (
      <IssueListEmpty
        orgSlug={orgSlug}
        status={props.status}
        hasSearchText={props.hasSearchText}
        projectId={props.projectId}
      />
    );
  }

  return (
    <ul className="issue-rows">
      {query.data.issues.map((issue) => (
        <IssueRow
          key={issue.id}
          issue={issue}
          orgSlug={orgSlug}
          isSelected={props.selectedIds.has(issue.id)}
          onToggle={props.onToggle}
        />
      ))}
    </ul>
  );
}
