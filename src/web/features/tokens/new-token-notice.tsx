import { CopyButton } from '../../components/copy-button';

interface NewTokenNoticeProps {
  token: string;
  onDismiss: () => void;
}

/**
 * Shows a token value right after creation, with a copy button. The server never returns the
 * value again, and the notice tells the user.
 */
export function NewTokenNotice({ token, onDismiss }: NewTokenNoticeProps) {
  return (
    <div className="alert alert-success new-token" role="status">
      <p>Copy this token now. It will not be shown again.</p>
      <div className="copy-field">
        <input
          aria-label="New token"
          className="mono"
          readOnly
          value={token}
          onFocus={(event) => {
            event.target.select();
          }}
        />
        <CopyButton text={token} label="Copy token" />
      </div>
      <button type="button" className="button button-small" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
