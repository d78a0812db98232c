import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { InstanceUser, UpdateUserRequest } from '../../../shared/api/members';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { isRequestError } from '../../lib/api-client';
import { currentUserOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import {
  createInstanceUser,
  instanceUsersOptions,
  memberKeys,
  updateInstanceUser,
} from '../members/members-api';

/** Renders the instance's users for superusers, who create, deactivate, reactivate and promote them. */
export function ManageUsersPage() {
  const queryClient = useQueryClient();
  const usersQuery = useQuery({ ...instanceUsersOptions(), retry: false });
  const userQuery = useQuery(currentUserOptions());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  useDocumentTitle(['Users', 'Manage']);

  const refresh = () => queryClient.invalidateQueries({ queryKey: memberKeys.users });
  const createMutation = useMutation({
    mutationFn: () => createInstanceUser({ email: email.trim(), password }),
    onSuccess: async () => {
      setEmail('');
      setPassword('');
      await refresh();
    },
  });
  const updateMutation = useMutation({
    mutationFn: (input: { user: InstanceUser; change: UpdateUserRequest }) =>
      updateInstanceUser(input.user.id, input.change),
    onSuccess: refresh,
  });

  if (usersQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (usersQuery.isError) {
    return (
      <main className="page">
        {isRequestError(usersQuery.error, 403) ? (
          <div className="alert alert-error" role="alert">
            Only superusers can manage the users of this instance.
          </div>
        ) : (
          <LoadError
            message="Unable to load the users."
            onRetry={() => void usersQuery.refetch()}
          />
        )}
      </main>
    );
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    createMutation.mutate();
  }

  return (
    <main className="page">
      <div className="page-heading">
        <h1>Users</h1>
      </div>
      {updateMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('change the user', updateMutation.error)}
        </div>
      ) : null}
      <table className="data-table" aria-label="Users">
        <thead>
          <tr>
            <th>User</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {usersQuery.data.map((user) => {
            const isSelf = user.id === userQuery.data?.id;
            return (
              <tr key={user.id} data-user={user.email}>
                <td>
                  {user.name} <span className="text-muted">{user.email}</span>
                </td>
                <td>
                  {user.isActive ? 'Active' : 'Deactivated'}
                  {user.isSuperuser ? ' · superuser' : ''}
                </td>
                <td className="button-group">
                  {isSelf ? null : (
                    <>
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          updateMutation.mutate({ user, change: { isActive: !user.isActive } });
                        }}
                      >
                        {user.isActive ? 'Deactivate' : 'Reactivate'}
                      </button>
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          updateMutation.mutate({
                            user,
                            change: { isSuperuser: !user.isSuperuser },
                          });
                        }}
                      >
                        {user.isSuperuser ? 'Revoke superuser' : 'Make superuser'}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form className="form panel panel-padded" onSubmit={handleSubmit} aria-label="Create user">
        <h2>Create a user</h2>
        <label className="field">
          <span className="field-label">E-mail</span>
          <input
            type="email"
            required
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        {createMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('create the user', createMutation.error)}
          </div>
        ) : null}
        <button type="submit" className="button" disabled={createMutation.isPending}>
          Create user
        </button>
      </form>
    </main>
  );
}
