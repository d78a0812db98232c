import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';

import type { IssueSort } from '../../../shared/api/issues';
import { LoadError } from '../../components/load-error';
import { isRequestError } from '../../lib/api-client';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { TabBar } from '../../components/tab-bar';
import { issueListOptions, type IssueListResult } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { SpikeProtectionBanner } from '../stats/spike-protection-banner';
import { IssueListEmpty } from './issue-list-empty';
import {
  joinQuery,
  readIssueListParams,
  SORT_OPTIONS,
  splitQuery,
  STATUS_TABS,
  updateIssueListSearch,
  type StatusFilter,
} from './issue-list-params';
import { IssueRow } from './issue-row';
import { IssueSearchForm } from './issue-search-form';

/** Renders an organization's issue stream with status tabs, search, sort and pagination. */
export function IssueListPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readIssueListParams(searchParams);
  const { status, text } = splitQuery(params.query);
  const issuesQuery = useQuery(issueListOptions(orgSlug, params));
  useDocumentTitle(['Issues', orgSlug]);

  function changeSearch(changes: Parameters<typeof updateIssueListSearch>[1]) {
    setSearchParams(updateIssueListSearch(searchParams, changes));
  }

  function handleStatusSelect(nextStatus: StatusFilter) {
    changeSearch({ query: joinQuery(nextStatus, text) });
  }

  function handleSearch(nextText: string) {
    changeSearch({ query: joinQuery(status, nextText) });
  }

  function handleSortChange(sort: IssueSort) {
    changeSearch({ sort });
  }

  const pageLinks = issuesQuery.data?.pageLinks;

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Issues</h1>
      </div>
      <SpikeProtectionBanner orgSlug={orgSlug} projectId={params.projectId} />
      <TabBar tabs={STATUS_TABS} selected={status} onSelect={handleStatusSelect} label="Status" />
      <div className="issue-toolbar">
        <IssueSearchForm key={text} initialText={text} onSearch={handleSearch} />
        <label className="sort-select">
          <span>Sort by</span>
          <select
            value={params.sort}
            onChange={(event) => {
              handleSortChange(event.target.value as IssueSort);
            }}
          >
            {SORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <section className="panel issue-list" aria-busy={issuesQuery.isFetching}>
        <div className="issue-list-header" aria-hidden="true">
          <span>Issue</span>
          <span className="issue-count">Events</span>
          <span className="issue-count">Users</span>
        </div>
        <IssueListBody
          orgSlug={orgSlug}
          query={issuesQuery}
          status={status}
          hasSearchText={text !== ''}
          projectId={params.projectId}
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
}

function IssueListBody({ orgSlug, query, status, hasSearchText, projectId }: IssueListBodyProps) {
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
        status={status}
        hasSearchText={hasSearchText}
        projectId={projectId}
      />
    );
  }

  return (
    <ul className="issue-rows">
      {query.data.issues.map((issue) => (
        <IssueRow key={issue.id} issue={issue} orgSlug={orgSlug} />
      ))}
    </ul>
  );
}
