import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

import { logOut } from '../../lib/api-mutations';
import { queryKeys } from '../../lib/query-options';

/** Returns a mutation that ends the session, drops all cached data and opens the login page. */
export function useLogOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  return useMutation({
    mutationFn: logOut,
    onSuccess: async () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.currentUser, null);
      await navigate('/auth/login/', { replace: true });
    },
  });
}
