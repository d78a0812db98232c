import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { RelativeTime } from '../../components/relative-time';
import { describeFailure } from '../../lib/user-message';

/** Shows why a token request failed, or nothing while it has not failed. */
export function TokenFailure({ action, error }: { action: string; error: Error | null }) {
  if (error === null) {
    return null;
  }
  return (
    <div className="alert alert-error" role="alert">
      {describeFailure(action, error)}
    </div>
  );
}

/** Renders the submit button of a token form. */
export function CreateTokenButton({
  pending,
  disabled = false,
}: {
  pending: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={pending || disabled}>
        {pending ? 'Creating…' : 'Create token'}
      </button>
    </div>
  );
}

/** Renders the loading, error and empty states of a token list. */
export function TokenListState(props: {
  isPending: boolean;
  isError: boolean;
  isEmpty: boolean;
  errorMessage: string;
  emptyMessage: string;
  onRetry: () => void;
}) {
  return (
    <>
      {props.isPending ? <LoadingIndicator /> : null}
      {props.isError ? <LoadError message={props.errorMessage} onRetry={props.onRetry} /> : null}
      {props.isEmpty ? <p>{props.emptyMessage}</p> : null}
    </>
  );
}

/** Renders the "Created" and "Last used" cells of a token row. */
export function TokenDateCells({
  created,
  lastUsed,
}: {
  created: string;
  lastUsed: string | null;
}) {
  return (
    <>
      <td>
        <RelativeTime date={created} />
      </td>
      <td>{lastUsed === null ? 'Never' : <RelativeTime date={lastUsed} />}</td>
    </>
  );
}
