import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { queryKeys } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import {
  fetchSessions,
  logOutEverywhere,
  revokeSession,
  securityKeys,
} from './account-security-api';

/** Lists the user's sessions with revoke buttons and "log out everywhere". */
export function SessionsPanel() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const sessionsQuery = useQuery({ queryKey: securityKeys.sessions, queryFn: fetchSessions });
  const revokeMutation = useMutation({
    mutationFn: revokeSession,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.sessions }),
  });
  const everywhereMutation = useMutation({
    mutationFn: logOutEverywhere,
    onSuccess: async () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.currentUser, null);
      await navigate('/auth/login/', { replace: true });
    },
  });

  const actions = (
    <button
      type="button"
      className="button button-small"
      disabled={everywhereMutation.isPending}
      onClick={() => {
        everywhereMutation.mutate();
      }}
    >
      Log out everywhere
    </button>
  );

  return (
    <Panel title="Sessions" actions={actions}>
      {sessionsQuery.isPending ? <LoadingIndicator /> : null}
      {sessionsQuery.isError ? (
        <LoadError
          message="Unable to load the sessions."
          onRetry={() => void sessionsQuery.refetch()}
        />
      ) : null}
      {revokeMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('revoke the session', revokeMutation.error)}
        </div>
      ) : null}
      {sessionsQuery.data === undefined ? null : (
        <table className="table" aria-label="Sessions">
          <thead>
            <tr>
              <th>Device</th>
              <th>IP address</th>
              <th>Logged in</th>
              <th>Last seen</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sessionsQuery.data.map((session) => (
              <tr key={session.id}>
                <td>
                  {session.userAgent ?? 'Unknown'}
                  {session.current ? <span className="badge"> This session</span> : null}
                </td>
                <td>{session.ipAddress ?? '—'}</td>
                <td>{new Date(session.dateCreated).toLocaleString()}</td>
                <td>{new Date(session.lastSeen).toLocaleString()}</td>
                <td>
                  {session.current ? null : (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={revokeMutation.isPending}
                      onClick={() => {
                        revokeMutation.mutate(session.id);
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
