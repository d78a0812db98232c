import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { isRequestError } from '../../lib/api-client';
import { logIn } from '../../lib/api-mutations';
import { currentUserOptions, queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { readSafeRedirect } from './safe-redirect';

export function LoginPage() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const userQuery = useQuery(currentUserOptions());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = readSafeRedirect(searchParams.get('next'));
  useDocumentTitle(['Log in']);

  const loginMutation = useMutation({
    mutationFn: logIn,
    onSuccess: async (user) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'current-user' });
      queryClient.setQueryData(queryKeys.currentUser, user);
      await navigate(next, { replace: true });
    },
  });

  if (userQuery.data !== undefined && userQuery.data !== null && !loginMutation.isPending) {
    return <Navigate to={next} replace />;
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    loginMutation.mutate({ email: email.trim(), password });
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          Picket
        </div>
        <h1>Log in</h1>
        <form className="form" onSubmit={handleSubmit}>
          <label className="field">
            <span className="field-label">Email</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              autoFocus
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
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
              }}
            />
          </label>
          {loginMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {loginFailureMessage(loginMutation.error)}
            </div>
          ) : null}
          <button
            type="submit"
            className="button button-primary button-block"
            disabled={loginMutation.isPending}
          >
            {loginMutation.isPending ? 'Logging in…' : 'Log in'}
          </button>
        </form>
      </div>
    </main>
  );
}

function loginFailureMessage(error: unknown): string {
  if (isRequestError(error, 401)) {
    return error.detail ?? 'The email or password is incorrect.';
  }

  return describeFailure('log in', error);
}
