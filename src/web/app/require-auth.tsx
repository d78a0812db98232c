import { useQuery } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';

import { LoadError } from '../components/load-error';
import { LoadingIndicator } from '../components/loading-indicator';
import { currentUserOptions } from '../lib/query-options';

/** Route guard that renders its child routes for a signed-in user and redirects others to login. */
export function RequireAuth() {
  const location = useLocation();
  const userQuery = useQuery(currentUserOptions());

  if (userQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (userQuery.isError) {
    return (
      <main className="page page-narrow">
        <LoadError
          message="Unable to reach Picket. Check that the server is running."
          onRetry={() => void userQuery.refetch()}
        />
      </main>
    );
  }

  if (userQuery.data === null) {
    const next = `${location.pathname}${location.search}`;
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/auth/login/${search}`} replace />;
  }

  return <Outlet />;
}
