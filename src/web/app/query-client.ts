import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isRequestError } from '../lib/api-client';
import { queryKeys } from '../lib/query-options';

const MAX_RETRIES = 2;

/** Path of the page where a member sets up the two-factor authentication an organization requires. */
export const TWO_FACTOR_SETUP_PATH = '/settings/account/security/';

/**
 * Creates the app's query client. A 401 from any request means the session expired, so it
 * clears the current user, and the auth guard then sends the browser to the login page. Two
 * 401 codes keep the session: `2fa-required` opens the security page with a notice, and
 * `sudo-required` is handled by the page that asked.
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
    if (!isRequestError(error, 401) || error.code === 'sudo-required') {
      return;
    }

    if (error.code === '2fa-required') {
      if (!window.location.pathname.startsWith(TWO_FACTOR_SETUP_PATH)) {
        window.location.assign(`${TWO_FACTOR_SETUP_PATH}?required=2fa`);
      }
      return;
    }
    queryClient.setQueryData(queryKeys.currentUser, null);
  }

  return queryClient;
}

function isClientError(error: unknown): boolean {
  return isRequestError(error) && error.status >= 400 && error.status < 500;
}
