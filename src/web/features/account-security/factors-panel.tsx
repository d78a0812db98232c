import { startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { AuthenticatorAdded, TotpEnrollment } from '../../../shared/api/account-security';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { describeFailure } from '../../lib/user-message';
import {
  fetchAuthenticators,
  fetchKeyRegistrationOptions,
  regenerateRecoveryCodes,
  registerSecurityKey,
  removeAuthenticator,
  securityKeys,
  startTotpEnrollment,
} from './account-security-api';
import { RecoveryCodeList } from './recovery-code-list';
import { isSudoRequired } from './sudo-prompt';
import { TotpEnrollmentForm } from './totp-enrollment';

interface FactorsPanelProps {
  onSudoRequired: () => void;
}

const TYPE_LABELS: Record<string, string> = {
  totp: 'Authenticator app',
  webauthn: 'Security key',
};

/** Second factors: the list, adding an app or a security key, removal and recovery codes. */
export function FactorsPanel({ onSudoRequired }: FactorsPanelProps) {
  const queryClient = useQueryClient();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const listQuery = useQuery({
    queryKey: securityKeys.authenticators,
    queryFn: fetchAuthenticators,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['account-security'] });
  const onError = (error: unknown) => {
    if (isSudoRequired(error)) {
      onSudoRequired();
    }
  };
  const handleAdded = async (added: AuthenticatorAdded) => {
    setEnrollment(null);
    setNewCodes(added.recoveryCodes);
    await refresh();
  };

  const totpMutation = useMutation({
    mutationFn: startTotpEnrollment,
    onSuccess: setEnrollment,
    onError,
  });
  const keyMutation = useMutation({
    mutationFn: async () => {
      const options = await fetchKeyRegistrationOptions();
      const response = await startRegistration({ optionsJSON: options });
      return registerSecurityKey({ response, name: 'Security key' });
    },
    onSuccess: handleAdded,
    onError,
  });
  const removeMutation = useMutation({
    mutationFn: removeAuthenticator,
    onSuccess: refresh,
    onError,
  });
  const codesMutation = useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: async (result) => {
      setNewCodes(result.codes);
      await refresh();
    },
    onError,
  });

  const failure = [totpMutation, keyMutation, removeMutation, codesMutation].find(
    (mutation) => mutation.isError && !isSudoRequired(mutation.error),
  );
  const list = listQuery.data;
  const hasTotp = list?.authenticators.some((item) => item.type === 'totp') === true;

  return (
    <Panel title="Two-factor authentication">
      {listQuery.isPending ? <LoadingIndicator /> : null}
      {listQuery.isError ? (
        <LoadError message="Unable to load the factors." onRetry={() => void listQuery.refetch()} />
      ) : null}
      {failure?.error === undefined || failure.error === null ? null : (
        <div className="alert alert-error" role="alert">
          {describeFailure('change the factors', failure.error)}
        </div>
      )}
      {newCodes === null ? null : (
        <RecoveryCodeList
          codes={newCodes}
          onDone={() => {
            setNewCodes(null);
          }}
        />
      )}
      {list === undefined ? null : (
        <>
          {list.authenticators.length === 0 ? (
            <p className="muted">No second factor yet. Add an app or a security key.</p>
          ) : (
            <ul className="factor-list" aria-label="Factors">
              {list.authenticators.map((authenticator) => (
                <li key={authenticator.id}>
                  <strong>{authenticator.name}</strong>{' '}
                  <span className="muted">
                    {TYPE_LABELS[authenticator.type] ?? authenticator.type}, added{' '}
                    {new Date(authenticator.dateCreated).toLocaleDateString()}
                  </span>{' '}
                  <button
                    type="button"
                    className="button button-small"
                    disabled={removeMutation.isPending}
                    onClick={() => {
                      removeMutation.mutate(authenticator.id);
                    }}
                  >
                    Remove {authenticator.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {enrollment === null ? (
            <div className="button-group">
              {hasTotp ? null : (
                <button
                  type="button"
                  className="button"
                  disabled={totpMutation.isPending}
                  onClick={() => {
                    totpMutation.mutate();
                  }}
                >
                  Add an authenticator app
                </button>
              )}
              <button
                type="button"
                className="button"
                disabled={keyMutation.isPending}
                onClick={() => {
                  keyMutation.mutate();
                }}
              >
                Add a security key
              </button>
            </div>
          ) : (
            <TotpEnrollmentForm
              enrollment={enrollment}
              onAdded={(added) => void handleAdded(added)}
              onCancel={() => {
                setEnrollment(null);
              }}
            />
          )}
          {list.authenticators.length === 0 ? null : (
            <p>
              Recovery codes: {list.recoveryCodes.remaining} of {list.recoveryCodes.total} unused.{' '}
              <button
                type="button"
                className="button button-small"
                disabled={codesMutation.isPending}
                onClick={() => {
                  codesMutation.mutate();
                }}
              >
                Regenerate recovery codes
              </button>
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
