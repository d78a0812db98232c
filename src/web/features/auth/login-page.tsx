import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import type { User } from '../../../shared/api/accounts';
import type { SecondFactorMethod } from '../../../shared/api/account-security';
import { isRequestError } from '../../lib/api-client';
import { currentUserOptions, queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { fetchPendingLogin, logInWithPassword } from '../account-security/account-security-api';
import { readSafeRedirect } from './safe-redirect';
import { SecondStepForm } from './second-step-form';

export function LoginPage() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const userQuery = useQuery(currentUserOptions());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [methods, setMethods] = useState<readonly SecondFactorMethod[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const next = readSafeRedirect(searchParams.get('next'));
  // A login whose second step is due survives a reload of this page.
  const pendingQuery = useQuery({
    queryKey: ['pending-login'],
    queryFn: async () => {
      try {
        return (await fetchPendingLogin()).methods;
      } catch (error) {
        if (isRequestError(error, 401)) {
          return null;
        }
        throw error;
      }
    },
    enabled: userQuery.data === null,
    staleTime: Infinity,
  });
  const secondStepMethods = methods ?? pendingQuery.data ?? null;
  useDocumentTitle([secondStepMethods === null ? 'Log in' : 'Two-factor authentication']);

  async function finishLogin(user: User) {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'current-user' });
    queryClient.setQueryData(queryKeys.currentUser, user);
    await navigate(next, { replace: true });
  }

  const loginMutation = useMutation({
    mutationFn: logInWithPassword,
    onSuccess: async (response) => {
      setNotice(null);
      if ('twoFactorRequired' in response) {
        setMethods(response.methods);
        return;
      }
      await finishLogin(response.user);
    },
  });

  if (userQuery.data !== undefined && userQuery.data !== null && !loginMutation.isPending) {
    return <Navigate to={next} replace />;
  }

  if (secondStepMethods !== null && secondStepMethods.length > 0) {
    return (
      <main className="auth-page">
        <div className="auth-card">
          <div className="auth-brand">
            <span className="brand-mark" aria-hidden="true" />
            Picket
          </div>
          <h1>Two-factor authentication</h1>
          <SecondStepForm
            methods={secondStepMethods}
            onSuccess={(user) => void finishLogin(user)}
            onCancelled={() => {
              setMethods(null);
              queryClient.setQueryData(['pending-login'], null);
              setNotice('Too many wrong codes. Log in again.');
            }}
          />
        </div>
      </main>
    );
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
        {notice === null ? null : (
          <div className="alert alert-warning" role="status">
            {notice}
          </div>
        )}
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

  if (isRequestError(error, 429)) {
    return 'Too many login attempts. Wait a minute and try again.';
  }

  return describeFailure('log in', error);
}
