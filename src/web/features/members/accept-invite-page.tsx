import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';

import type { InviteDetails } from '../../../shared/api/members';
import { LoadingIndicator } from '../../components/loading-indicator';
import { isRequestError } from '../../lib/api-client';
import { logIn } from '../../lib/api-mutations';
import { queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { ROLE_LABELS, acceptInvite, inviteDetailsOptions } from './members-api';

const MIN_PASSWORD_LENGTH = 8;

/**
 * Page of an invitation link. The invited e-mail decides which account joins: a logged-in user
 * with that e-mail joins with one click, and without an account the page creates one.
 */
export function AcceptInvitePage() {
  const { memberId = '', token = '' } = useParams();
  const detailsQuery = useQuery(inviteDetailsOptions(memberId, token));
  useDocumentTitle(['Accept invitation']);

  if (detailsQuery.isPending) {
    return <LoadingIndicator />;
  }

  return (
    <div className="app">
      <main className="page page-narrow">
        <div className="page-heading">
          <h1>Accept invitation</h1>
        </div>
        {detailsQuery.isError ? (
          <div className="alert alert-error" role="alert">
            {isRequestError(detailsQuery.error, 404)
              ? 'This invitation link is not valid: it is wrong, expired or was used already.'
              : describeFailure('load the invitation', detailsQuery.error)}
          </div>
        ) : (
          <InviteAcceptance memberId={memberId} token={token} details={detailsQuery.data} />
        )}
      </main>
    </div>
  );
}

interface InviteAcceptanceProps {
  memberId: string;
  token: string;
  details: InviteDetails;
}

function InviteAcceptance({ memberId, token, details }: InviteAcceptanceProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const acceptMutation = useMutation({
    mutationFn: async () => {
      const result = await acceptInvite(
        memberId,
        token,
        details.isInvitee ? {} : { name: name.trim(), password },
      );
      if (result.createdUser) {
        const user = await logIn({ email: details.email, password });
        queryClient.setQueryData(queryKeys.currentUser, user);
      }
      return result;
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.organizations });
      await navigate(`/organizations/${result.organization.slug}/issues/`);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    acceptMutation.mutate();
  }

  const intro = (
    <p className="page-intro">
      You are invited to join <strong>{details.organization.name}</strong> as{' '}
      {ROLE_LABELS[details.orgRole]}, with the e-mail {details.email}.
    </p>
  );
  const failure = acceptMutation.isError ? (
    <div className="alert alert-error" role="alert">
      {describeFailure('accept the invitation', acceptMutation.error)}
    </div>
  ) : null;

  if (details.currentUserEmail !== null && !details.isInvitee) {
    return (
      <>
        {intro}
        <div className="alert alert-error" role="alert">
          You are logged in as {details.currentUserEmail}. Log out, then open this link again to
          accept as {details.email}.
        </div>
      </>
    );
  }

  if (details.isInvitee) {
    return (
      <form className="form panel panel-padded" onSubmit={handleSubmit}>
        {intro}
        {failure}
        <button type="submit" className="button button-primary" disabled={acceptMutation.isPending}>
          Join {details.organization.name}
        </button>
      </form>
    );
  }

  if (details.existingUser) {
    const next = encodeURIComponent(location.pathname);
    return (
      <>
        {intro}
        <p>
          An account with this e-mail exists. <Link to={`/auth/login/?next=${next}`}>Log in</Link>{' '}
          to accept.
        </p>
      </>
    );
  }

  return (
    <form className="form panel panel-padded" onSubmit={handleSubmit} aria-label="Create account">
      {intro}
      <label className="field">
        <span className="field-label">Name</span>
        <input
          name="name"
          required
          maxLength={200}
          autoComplete="name"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          name="password"
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={1024}
          autoComplete="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
          }}
        />
        <span className="field-help">At least {MIN_PASSWORD_LENGTH} characters.</span>
      </label>
      {failure}
      <button type="submit" className="button button-primary" disabled={acceptMutation.isPending}>
        Create account and join
      </button>
    </form>
  );
}
