import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isRequestError } from '../lib/api-client';
import { queryKeys } from '../lib/query-options';

const MAX_RETRIES = 2;

/**
 * Creates the app's query client. A 401 from any request means the session expired, so it
 * clears the current user, and the auth guard then sends the browser to the login page.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failureCount, error) => !isClientError(error) && failureCount < MAX_RETRIES,
        refetchOnWindowFocus: false,
      },
    },
  });

  function handleError(error: unknown) {
    if (isRequestError(error, 401)) {
      queryClient.setQueryData(queryKeys.currentUser, null);
    }
  }

  return queryClient;
}

function isClientError(error: unknown): boolean {
  return isRequestError(error) && error.status >= 400 && error.status < 500;
}
