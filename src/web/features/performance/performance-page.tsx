import '../../styles/performance.css';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { isRequestError } from '../../lib/api-client';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { transactionListOptions, type TransactionListResult } from './performance-query-options';
import { readTransactionListParams, updateTransactionListSearch } from './transaction-list-params';
import { TransactionSearchForm } from './transaction-search-form';
import { TransactionTable } from './transaction-table';

/** Renders an organization's recent transactions with a name search and a project filter. */
export function PerformancePage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readTransactionListParams(searchParams);
  const transactionsQuery = useQuery(transactionListOptions(orgSlug, params));
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  useDocumentTitle(['Performance', orgSlug]);

  function changeSearch(changes: Parameters<typeof updateTransactionListSearch>[1]) {
    setSearchParams(updateTransactionListSearch(searchParams, changes));
  }

  const pageLinks = transactionsQuery.data?.pageLinks;
  const hasPages =
    pageLinks !== undefined &&
    (pageLinks.previous?.hasResults === true || pageLinks.next?.hasResults === true);

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Performance</h1>
      </div>
      <div className="issue-toolbar">
        <TransactionSearchForm
          key={params.query}
          initialText={params.query}
          onSearch={(query) => {
            changeSearch({ query });
          }}
        />
        <label className="sort-select">
          <span>Project</span>
          <select
            aria-label="Filter by project"
            value={params.projectId ?? ''}
            disabled={projectsQuery.isPending}
            onChange={(event) => {
              changeSearch({ project: event.target.value });
            }}
          >
            <option value="">All projects</option>
            {(projectsQuery.data ?? []).map((project) => (
              <option key={project.id} value={project.id}>
                {project.slug}
              </option>
            ))}
          </select>
        </label>
      </div>

      <section className="panel transaction-list" aria-busy={transactionsQuery.isFetching}>
        <TransactionListBody
          orgSlug={orgSlug}
          query={transactionsQuery}
          isFiltered={params.query !== '' || params.projectId !== null}
        />
      </section>

      {!hasPages ? null : (
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

interface TransactionListBodyProps {
  orgSlug: string;
  query: UseQueryResult<TransactionListResult>;
  isFiltered: boolean;
}

function TransactionListBody({ orgSlug, query, isFiltered }: TransactionListBodyProps) {
  if (query.isPending) {
    return <LoadingIndicator label="Loading transactions…" />;
  }

  if (query.isError) {
    const error = query.error;
    if (isRequestError(error, 400) && error.detail !== null) {
      return <LoadError message={error.detail} />;
    }
    return (
      <LoadError message="Unable to load transactions." onRetry={() => void query.refetch()} />
    );
  }

  if (query.data.transactions.length === 0) {
    return isFiltered ? (
      <EmptyState title="No transactions match these filters" />
    ) : (
      <EmptyState title="No transactions yet">
        <p>
          Transactions appear here once an SDK sends traces: set <code>tracesSampleRate</code> in
          its options.
        </p>
      </EmptyState>
    );
  }

  return <TransactionTable orgSlug={orgSlug} transactions={query.data.transactions} />;
}
