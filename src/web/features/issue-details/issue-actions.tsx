import type { Issue, IssueStatus } from '../../../shared/api/issues';
import { describeFailure } from '../../lib/user-message';
import { useUpdateIssueStatus } from './use-update-issue-status';

interface IssueActionsProps {
  issue: Issue;
  orgSlug: string;
}

const ACTION_VERBS: Record<IssueStatus, string> = {
  resolved: 'resolve the issue',
  unresolved: 'unresolve the issue',
  ignored: 'ignore the issue',
};

/** Resolve, Unresolve and Ignore buttons for an issue. */
export function IssueActions({ issue, orgSlug }: IssueActionsProps) {
  const statusMutation = useUpdateIssueStatus(orgSlug, issue.id);
  const isBusy = statusMutation.isPending;

  function handleStatusChange(status: IssueStatus) {
    statusMutation.mutate(status);
  }

  return (
    <div className="issue-actions">
      <div className="button-group">
        {issue.status === 'resolved' ? (
          <button
            type="button"
            className="button button-active"
            disabled={isBusy}
            onClick={() => {
              handleStatusChange('unresolved');
            }}
          >
            ✓ Unresolve
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            disabled={isBusy}
            onClick={() => {
              handleStatusChange('resolved');
            }}
          >
            ✓ Resolve
          </button>
        )}
        {issue.status === 'ignored' ? (
          <button
            type="button"
            className="button button-active"
            disabled={isBusy}
            onClick={() => {
              handleStatusChange('unresolved');
            }}
          >
            Stop ignoring
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={isBusy}
            onClick={() => {
              handleStatusChange('ignored');
            }}
          >
            Ignore
          </button>
        )}
      </div>
      {statusMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure(ACTION_VERBS[statusMutation.variables], statusMutation.error)}
        </div>
      ) : null}
    </div>
  );
}
