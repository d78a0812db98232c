import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

import { describeFailure } from '../../lib/user-message';

/**
 * State of a delete that waits for confirmation: whether the question is open, and the delete
 * request once confirmed.
 */
export function useDeleteConfirmation(onDelete: () => Promise<void>) {
  const [isConfirming, setIsConfirming] = useState(false);
  const mutation = useMutation({ mutationFn: onDelete });

  return {
    isConfirming,
    mutation,
    open: () => {
      setIsConfirming(true);
    },
    cancel: () => {
      mutation.reset();
      setIsConfirming(false);
    },
  };
}

export type DeleteConfirmationState = ReturnType<typeof useDeleteConfirmation>;

interface DeleteButtonProps {
  /** Accessible name of the button, as "Delete bundle 1a2b…". */
  label: string;
  state: DeleteConfirmationState;
}

/** Renders the Delete button that opens the confirmation, disabled while it is open. */
export function DeleteButton({ label, state }: DeleteButtonProps) {
  return (
    <button
      type="button"
      className="button button-small"
      aria-label={label}
      aria-expanded={state.isConfirming}
      disabled={state.isConfirming}
      onClick={state.open}
    >
      Delete
    </button>
  );
}

interface DeleteConfirmationProps {
  /** Question of the confirmation step, as "Delete this file?", rendered only while it is open. */
  question: ReactNode;
  /** Words for the failure message, as "delete the bundle". */
  action: string;
  state: DeleteConfirmationState;
}

/**
 * Renders the confirmation of a delete, or nothing while it is closed. Tables put it in a row of
 * its own under the item, so that the question does not squeeze their columns.
 */
export function DeleteConfirmation({ question, action, state }: DeleteConfirmationProps) {
  const { mutation } = state;
  if (!state.isConfirming) {
    return null;
  }

  return (
    <div
      className="artifact-confirm"
      role="alertdialog"
      aria-label="Confirm deletion"
      aria-busy={mutation.isPending}
    >
      <div className="artifact-confirm-question">{question}</div>
      <div className="artifact-confirm-buttons">
        <button
          type="button"
          className="button button-small button-danger"
          disabled={mutation.isPending}
          onClick={() => {
            mutation.mutate();
          }}
        >
          {mutation.isPending ? 'Deleting…' : 'Yes, delete'}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={mutation.isPending}
          onClick={state.cancel}
        >
          Cancel
        </button>
      </div>
      {mutation.isPending ? (
        <p className="muted" role="status">
          Deleting…
        </p>
      ) : null}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure(action, mutation.error)}
        </div>
      ) : null}
    </div>
  );
}
