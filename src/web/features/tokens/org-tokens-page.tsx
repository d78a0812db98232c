import './tokens.css';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useParams } from 'react-router';

import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NewTokenNotice } from './new-token-notice';
import { CreateTokenButton, TokenDateCells, TokenFailure, TokenListState } from './token-parts';
import { createOrgToken, deleteOrgToken, orgTokensOptions, tokenQueryKeys } from './tokens-api';

/**
 * Renders the organization's tokens (`/settings/{org}/auth-tokens/`): tokens with the `org:ci`
 * scope for sentry-cli and the bundler plugins, which carry the server URL and organization.
 */
export function OrgTokensPage() {
  const { orgSlug = '' } = useParams();
  useDocumentTitle(['Organization Tokens', orgSlug]);
  const queryClient = useQueryClient();
  const submitting = useRef(false);
  const tokensQuery = useQuery(orgTokensOptions(orgSlug));
  const [name, setName] = useState('');
  const [newToken, setNewToken] = useState<string | null>(null);

  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: tokenQueryKeys.orgTokens(orgSlug) });
  const createMutation = useMutation({
    mutationFn: () => createOrgToken(orgSlug, name.trim()),
    onSuccess: async (created) => {
      setNewToken(created.token);
      setName('');
      await invalidate();
    },
  });
  const deleteMutation = useMutation({
    mutationFn: (tokenId: string) => deleteOrgToken(orgSlug, tokenId),
    onSuccess: invalidate,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    // A second click can arrive before the disabled button renders; one token per submit.
    if (submitting.current) {
      return;
    }
    submitting.current = true;
    createMutation.mutate(undefined, {
      onSettled: () => {
        submitting.current = false;
      },
    });
  }

  return (
    <main className="page">
      <div className="page-heading">
        <h1>Organization Tokens</h1>
      </div>
      <p>
        Organization tokens can create releases and upload source maps in every project of{' '}
        <strong>{orgSlug}</strong>, and nothing else. sentry-cli reads the server URL and the
        organization from the token, so it needs only <code>SENTRY_AUTH_TOKEN</code> and{' '}
        <code>SENTRY_PROJECT</code>.
      </p>

      {newToken === null ? null : (
        <NewTokenNotice
          token={newToken}
          onDismiss={() => {
            setNewToken(null);
          }}
        />
      )}

      <Panel title="Create a token">
        <form className="form" onSubmit={handleSubmit} aria-label="Create an organization token">
          <label className="field">
            <span className="field-label">Name</span>
            <input
              required
              maxLength={255}
              value={name}
              onChange={(event) => {
                setName(event.target.value);
              }}
            />
          </label>
          <TokenFailure action="create the token" error={createMutation.error} />
          <CreateTokenButton pending={createMutation.isPending} />
        </form>
      </Panel>

      <Panel title="Tokens">
        <TokenListState
          isPending={tokensQuery.isPending}
          isError={tokensQuery.isError}
          isEmpty={tokensQuery.data?.length === 0}
          errorMessage="Unable to load the organization's tokens."
          emptyMessage="This organization has no tokens."
          onRetry={() => void tokensQuery.refetch()}
        />
        {tokensQuery.data !== undefined && tokensQuery.data.length > 0 ? (
          <table className="data-table" aria-label="Organization tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokensQuery.data.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td className="mono">sntrys_…{token.tokenLastCharacters}</td>
                  <TokenDateCells created={token.dateCreated} lastUsed={token.dateLastUsed} />
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Revoke token ${token.name}`}
                      disabled={deleteMutation.isPending}
                      onClick={() => {
                        deleteMutation.mutate(token.id);
                      }}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <TokenFailure action="revoke the token" error={deleteMutation.error} />
      </Panel>
    </main>
  );
}
