interface LoadErrorProps {
  message: string;
  onRetry?: () => void;
}

/** Renders an inline failure notice with an optional retry button. */
export function LoadError({ message, onRetry }: LoadErrorProps) {
  return (
    <div className="alert alert-error" role="alert">
      <span>{message}</span>
      {onRetry === undefined ? null : (
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
