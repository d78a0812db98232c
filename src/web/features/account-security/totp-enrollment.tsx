import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { AuthenticatorAdded, TotpEnrollment } from '../../../shared/api/account-security';
import { describeFailure } from '../../lib/user-message';
import { confirmTotp } from './account-security-api';

interface TotpEnrollmentFormProps {
  enrollment: TotpEnrollment;
  onAdded: (added: AuthenticatorAdded) => void;
  onCancel: () => void;
}

/**
 * Shows a new TOTP secret once, as text and as an `otpauth://` link, and activates it when the
 * first code from the app is entered.
 */
export function TotpEnrollmentForm({ enrollment, onAdded, onCancel }: TotpEnrollmentFormProps) {
  const [code, setCode] = useState('');
  const mutation = useMutation({ mutationFn: confirmTotp, onSuccess: onAdded });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ enrollmentToken: enrollment.enrollmentToken, code: code.trim() });
  }

  return (
    <form className="form" onSubmit={handleSubmit} aria-label="Add an authenticator app">
      <p>
        Add this key to your authenticator app, or open the link on the device that has the app. It
        is shown only now.
      </p>
      <label className="field">
        <span className="field-label">Secret key</span>
        <input readOnly value={enrollment.secret} data-testid="totp-secret" />
      </label>
      <p>
        <a href={enrollment.uri}>Open in an authenticator app</a>
      </p>
      <label className="field">
        <span className="field-label">Code from the app</span>
        <input
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
          }}
        />
      </label>
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('add the app', mutation.error)}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          Confirm
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
