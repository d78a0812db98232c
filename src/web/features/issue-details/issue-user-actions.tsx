import { useState } from 'react';
import { useNavigate } from 'react-router';

import type { Issue } from '../../../shared/api/issues';
import { describeFailure } from '../../lib/user-message';
import { useIssueDelete, useIssueUpdate } from './issue-workflow-api';

interface IssueUserActionsProps {
  issue: Issue;
  orgSlug: string;
}

const SUBSCRIPTION_REASONS: Record<string, string> = {
  assigned: 'you were assigned',
  comment: 'you commented',
  unknown: 'you subscribed',
};

/** Bookmark, subscription and review controls of the signed-in user. */
export function IssueUserActions({ issue, orgSlug }: IssueUserActionsProps) {
  const mutation = useIssueUpdate(orgSlug, issue.id);
  const isBusy = mutation.isPending;
  const reason = issue.subscriptionDetails?.reason;
  const isInReview =
    issue.status === 'unresolved' &&
    (issue.substatus === 'new' ||
      issue.substatus === 'regressed' ||
      issue.substatus === 'escalating');

  return (
    <div className="issue-user-actions">
      <button
        type="button"
        className={issue.isBookmarked ? 'button button-active' : 'button'}
        aria-pressed={issue.isBookmarked}
        disabled={isBusy}
        onClick={() => {
          mutation.mutate({ isBookmarked: !issue.isBookmarked });
        }}
      >
        <span aria-hidden="true">{issue.isBookmarked ? '★' : '☆'}</span> Bookmark
      </button>
      <button
        type="button"
        className={issue.isSubscribed ? 'button button-active' : 'button'}
        aria-pressed={issue.isSubscribed}
        disabled={isBusy}
        onClick={() => {
          mutation.mutate({ isSubscribed: !issue.isSubscribed });
        }}
      >
        {issue.isSubscribed ? 'Subscribed' : 'Subscribe'}
      </button>
      {issue.isSubscribed && reason !== undefined ? (
        <span className="muted">Subscribed because {SUBSCRIPTION_REASONS[reason] ?? reason}</span>
      ) : null}
      {isInReview ? (
        <button
          type="button"
          className="button"
          disabled={isBusy}
          onClick={() => {
            mutation.mutate({ inbox: false });
          }}
        >
          Mark reviewed
        </button>
      ) : null}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('update the issue', mutation.error)}
        </div>
      ) : null}
    </div>
  );
}

/** Delete and "Delete and discard", each behind a confirmation step. */
export function IssueDeleteActions({ issue, orgSlug }: IssueUserActionsProps) {
  const navigate = useNavigate();
  const [pending, setPending] = useState<'delete' | 'discard' | null>(null);
  const leave = () => {
    void navigate(`/organizations/${orgSlug}/issues/`);
  };
  const deletion = useIssueDelete(orgSlug, issue.id, leave);
  const discard = useIssueUpdate(orgSlug, issue.id, leave);
  const isBusy = deletion.isPending || discard.isPending;
  const failure = deletion.error ?? discard.error;

  return (
    <div className="issue-delete-actions">
      {pending === null ? (
        <>
          <button
            type="button"
            className="button"
            onClick={() => {
              setPending('delete');
            }}
          >
            Delete
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setPending('discard');
            }}
          >
            Delete and discard
          </button>
        </>
      ) : (
        <div className="confirm" role="alertdialog" aria-label="Confirm deletion">
          <p>
            {pending === 'delete'
              ? 'Delete this issue and its events? New events with the same grouping create a new issue.'
              : 'Delete this issue and its events, and drop every future event with the same grouping?'}
          </p>
          <button
            type="button"
            className="button button-danger"
            disabled={isBusy}
            onClick={() => {
              if (pending === 'delete') {
                deletion.mutate();
              } else {
                discard.mutate({ discard: true });
              }
            }}
          >
            {pending === 'delete' ? 'Yes, delete' : 'Yes, delete and discard'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setPending(null);
            }}
          >
            Cancel
          </button>
        </div>
      )}
      {failure === null ? null : (
        <div className="alert alert-error" role="alert">
          {describeFailure('delete the issue', failure)}
        </div>
      )}
    </div>
  );
}
