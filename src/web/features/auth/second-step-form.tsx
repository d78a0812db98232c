import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { User } from '../../../shared/api/accounts';
import type { SecondFactorMethod, SecondFactorRequest } from '../../../shared/api/account-security';
import { isRequestError } from '../../lib/api-client';
import { describeFailure } from '../../lib/user-message';
import { fetchLoginKeyOptions, submitSecondFactor } from '../account-security/account-security-api';

interface SecondStepFormProps {
  methods: readonly SecondFactorMethod[];
  onSuccess: (user: User) => void;
  /** Called when the server ended the login (too many wrong codes). */
  onCancelled: () => void;
}

/** Renders the second login step: a TOTP code, a security key or a recovery code. */
export function SecondStepForm({ methods, onSuccess, onCancelled }: SecondStepFormProps) {
  const [mode, setMode] = useState<'totp' | 'recovery'>(
    methods.includes('totp') ? 'totp' : 'recovery',
  );
  const [code, setCode] = useState('');

  const mutation = useMutation({
    mutationFn: async (request: SecondFactorRequest | 'webauthn') => {
      if (request !== 'webauthn') {
        return submitSecondFactor(request);
      }
      const options = await fetchLoginKeyOptions();
      const response = await startAuthentication({ optionsJSON: options });
      return submitSecondFactor({ method: 'webauthn', response });
    },
    onSuccess: (response) => {
      onSuccess(response.user);
    },
    onError: (error) => {
      if (isRequestError(error, 401) && error.detail?.includes('log in again') === true) {
        onCancelled();
      }
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ method: mode, code: code.trim() });
  }

  const label = mode === 'totp' ? 'Authentication code' : 'Recovery code';

  return (
    <form className="form" onSubmit={handleSubmit}>
      <p className="muted">
        {mode === 'totp'
          ? 'Enter the 6-digit code from your authenticator app.'
          : 'Enter one of the recovery codes you saved. Each code works once.'}
      </p>
      <label className="field">
        <span className="field-label">{label}</span>
        <input
          name="code"
          autoComplete="one-time-code"
          inputMode={mode === 'totp' ? 'numeric' : 'text'}
          required
          autoFocus
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
          }}
        />
      </label>
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {isRequestError(mutation.error)
            ? (mutation.error.detail ?? 'The code was not accepted.')
            : describeFailure('use the security key', mutation.error)}
        </div>
      ) : null}
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={mutation.isPending}
      >
        {mutation.isPending ? 'Checking…' : 'Verify'}
      </button>
      <div className="button-group">
        {methods.includes('webauthn') ? (
          <button
            type="button"
            className="button"
            disabled={mutation.isPending}
            onClick={() => {
              mutation.mutate('webauthn');
            }}
          >
            Use a security key
          </button>
        ) : null}
        {mode === 'totp' && methods.includes('recovery') ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setMode('recovery');
              setCode('');
            }}
          >
            Use a recovery code
          </button>
        ) : null}
        {mode === 'recovery' && methods.includes('totp') ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setMode('totp');
              setCode('');
            }}
          >
            Use the authenticator app
          </button>
        ) : null}
      </div>
    </form>
  );
}
