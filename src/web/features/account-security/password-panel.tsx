import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import { Panel } from '../../components/panel';
import { describeFailure } from '../../lib/user-message';
import { changePassword } from './account-security-api';

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

/** Changes the password; the server ends every other session of the user. */
export function PasswordPanel() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
      setConfirmation('');
    },
  });
  const mismatch = confirmation !== '' && confirmation !== newPassword;

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!mismatch) {
      mutation.mutate({ currentPassword, newPassword });
    }
  }

  return (
    <Panel title="Password">
      <form className="form" onSubmit={handleSubmit}>
        <label className="field">
          <span className="field-label">Current password</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => {
              setCurrentPassword(event.target.value);
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">New password</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_LENGTH}
            maxLength={MAX_LENGTH}
            value={newPassword}
            onChange={(event) => {
              setNewPassword(event.target.value);
            }}
          />
          <span className="field-help">
            At least {MIN_LENGTH} characters. Other sessions are logged out.
          </span>
        </label>
        <label className="field">
          <span className="field-label">Confirm new password</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.target.value);
            }}
          />
        </label>
        {mismatch ? (
          <div className="alert alert-error" role="alert">
            The new passwords do not match.
          </div>
        ) : null}
        {mutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('change the password', mutation.error)}
          </div>
        ) : null}
        {mutation.isSuccess ? (
          <div className="alert alert-success" role="status">
            Password changed. Other sessions were logged out.
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            Change password
          </button>
        </div>
      </form>
    </Panel>
  );
}
