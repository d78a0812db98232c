import './tokens.css';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';

import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NewTokenNotice } from './new-token-notice';
import { CreateTokenButton, TokenDateCells, TokenFailure, TokenListState } from './token-parts';
import { createUserToken, deleteUserToken, tokenQueryKeys, userTokensOptions } from './tokens-api';

/** Scopes offered in the form, grouped as Sentry's personal token form groups them. */
const SCOPE_GROUPS: { label: string; scopes: string[] }[] = [
  { label: 'Organization', scopes: ['org:read', 'org:write', 'org:admin', 'org:integrations'] },
  { label: 'Members', scopes: ['member:read', 'member:write', 'member:admin', 'member:invite'] },
  { label: 'Teams', scopes: ['team:read', 'team:write', 'team:admin'] },
  {
    label: 'Projects',
    scopes: ['project:read', 'project:write', 'project:admin', 'project:releases'],
  },
  { label: 'Issues & events', scopes: ['event:read', 'event:write', 'event:admin'] },
  { label: 'Alerts', scopes: ['alerts:read', 'alerts:write'] },
  { label: 'CI', scopes: ['org:ci', 'project:distribution'] },
];

/**
 * Renders the user's personal API tokens (`/settings/account/api/auth-tokens/`): the list, a
 * form to create one, and delete buttons. A new token's value is shown once.
 */
export function AccountTokensPage() {
  useDocumentTitle(['Personal Tokens', 'Account']);
  const queryClient = useQueryClient();
  const submitting = useRef(false);
  const tokensQuery = useQuery(userTokensOptions());
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['org:read', 'project:read', 'event:read']);
  const [expiresOn, setExpiresOn] = useState('');
  const [newToken, setNewToken] = useState<string | null>(null);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: tokenQueryKeys.userTokens() });

  const createMutation = useMutation({
    mutationFn: () =>
      createUserToken({
        name: name.trim(),
        scopes,
        expiresAt: expiresOn === '' ? null : new Date(`${expiresOn}T23:59:59Z`).toISOString(),
      }),
    onSuccess: async (created) => {
      setNewToken(created.token);
      setName('');
      await invalidate();
    },
  });
  const deleteMutation = useMutation({ mutationFn: deleteUserToken, onSuccess: invalidate });

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

  function toggleScope(scope: string, checked: boolean) {
    setScopes((current) =>
      checked ? [...current, scope] : current.filter((candidate) => candidate !== scope),
    );
  }

  return (
    <main className="page">
      <div className="page-heading">
        <h1>Personal Tokens</h1>
      </div>
      <p>
        Personal tokens act as you, with the scopes you pick, limited by your role in each
        organization. Tokens cannot list, create or delete tokens.
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
        <form className="form" onSubmit={handleSubmit} aria-label="Create a personal token">
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
          <fieldset className="field scope-groups">
            <legend className="field-label">Scopes</legend>
            {SCOPE_GROUPS.map((group) => (
              <div key={group.label} className="scope-group">
                <span>{group.label}</span>
                {group.scopes.map((scope) => (
                  <label key={scope} className="checkbox-field">
                    <input
                      type="checkbox"
                      checked={scopes.includes(scope)}
                      onChange={(event) => {
                        toggleScope(scope, event.target.checked);
                      }}
                    />
                    <span className="mono">{scope}</span>
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
          <label className="field">
            <span className="field-label">Expires on (optional, end of day UTC)</span>
            <input
              type="date"
              value={expiresOn}
              onChange={(event) => {
                setExpiresOn(event.target.value);
              }}
            />
          </label>
          <TokenFailure action="create the token" error={createMutation.error} />
          <CreateTokenButton pending={createMutation.isPending} disabled={scopes.length === 0} />
        </form>
      </Panel>

      <Panel title="Tokens">
        <TokenListState
          isPending={tokensQuery.isPending}
          isError={tokensQuery.isError}
          isEmpty={tokensQuery.data?.length === 0}
          errorMessage="Unable to load your tokens."
          emptyMessage="You have no personal tokens."
          onRetry={() => void tokensQuery.refetch()}
        />
        {tokensQuery.data !== undefined && tokensQuery.data.length > 0 ? (
          <table className="data-table" aria-label="Personal tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokensQuery.data.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td className="mono">sntryu_…{token.tokenLastCharacters}</td>
                  <td className="mono">{token.scopes.join(' ')}</td>
                  <TokenDateCells created={token.dateCreated} lastUsed={token.dateLastUsed} />
                  <td>{token.expiresAt === null ? 'Never' : token.expiresAt.slice(0, 10)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Delete token ${token.name}`}
                      disabled={deleteMutation.isPending}
                      onClick={() => {
                        deleteMutation.mutate(token.id);
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <TokenFailure action="delete the token" error={deleteMutation.error} />
      </Panel>
    </main>
  );
}
