import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import { isRequestError } from '../../lib/api-client';
import { describeFailure } from '../../lib/user-message';
import { reauthenticate } from './account-security-api';

/** Tells whether a failed request needs the password entered again (`sudo-required`). */
export function isSudoRequired(error: unknown): boolean {
  return isRequestError(error, 401) && error.code === 'sudo-required';
}

interface SudoPromptProps {
  onConfirmed: () => void;
}

/** Requests the password before a security change when the last entry is too old. */
export function SudoPrompt({ onConfirmed }: SudoPromptProps) {
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: reauthenticate,
    onSuccess: onConfirmed,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ password });
  }

  return (
    <div className="alert alert-warning" role="dialog" aria-label="Confirm your password">
      <form className="form" onSubmit={handleSubmit}>
        <p>Confirm your password to continue. Then repeat the change.</p>
        <label className="field">
          <span className="field-label">Current password</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        {mutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('confirm the password', mutation.error)}
          </div>
        ) : null}
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          Confirm
        </button>
      </form>
    </div>
  );
}
