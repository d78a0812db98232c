import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { Issue, IssueUpdateRequest } from '../../../shared/api/issues';
import { queryKeys, teamsOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { bulkUpdateIssues, membersOptions, type BulkTarget } from './issue-list-api';
import type { IssueListParams } from './issue-list-params';

/** One bulk action: the update it sends and the words of its confirmation and result. */
interface BulkAction {
  update: IssueUpdateRequest;
  /** Verb for the confirmation and the failure message, such as "resolve". */
  verb: string;
  /** Builds the result message from the number of issues, such as "Resolved 2 issues". */
  done: (issues: string) => string;
}

const ACTIONS = {
  resolve: {
    update: { status: 'resolved' },
    verb: 'resolve',
    done: (issues) => `Resolved ${issues}`,
  },
  unresolve: {
    update: { status: 'unresolved' },
    verb: 'unresolve',
    done: (issues) => `Unresolved ${issues}`,
  },
  archiveForever: {
    update: { status: 'ignored', substatus: 'archived_forever', statusDetails: {} },
    verb: 'archive',
    done: (issues) => `Archived ${issues} forever`,
  },
  archiveUntilEscalating: {
    update: {
      status: 'ignored',
      substatus: 'archived_until_escalating',
      statusDetails: { ignoreUntilEscalating: true },
    },
    verb: 'archive',
    done: (issues) => `Archived ${issues} until they escalate`,
  },
  markReviewed: {
    update: { inbox: false },
    verb: 'mark reviewed',
    done: (issues) => `Marked ${issues} reviewed`,
  },
  merge: { update: { merge: true }, verb: 'merge', done: (issues) => `Merged ${issues}` },
} satisfies Record<string, BulkAction>;

interface IssueBulkActionsProps {
  orgSlug: string;
  params: IssueListParams;
  /** The issues on the current page. */
  issues: Issue[];
  selectedIds: ReadonlySet<string>;
  /** Whether the selection is every issue matching the search, beyond this page. */
  allMatching: boolean;
  /** Issues matching the search, from `X-Hits`, or null when unknown. */
  hits: number | null;
  onSelectPage: (selected: boolean) => void;
  onSelectAllMatching: (selected: boolean) => void;
  /** Called after an action with a short message saying what happened. */
  onResult: (message: string) => void;
}

/**
 * Renders the issue list's header with the select-all checkbox and the actions on the selected
 * issues: status, archive, assignment, merge, review and bookmark. An action on every issue
 * matching the search sends the search instead of ids, after a confirmation.
 */
export function IssueBulkActions(props: IssueBulkActionsProps) {
  const { orgSlug, params, issues, selectedIds, allMatching, hits } = props;
  const queryClient = useQueryClient();
  const selectedCount = allMatching && hits !== null ? hits : selectedIds.size;
  const pageSelected = issues.length > 0 && issues.every((issue) => selectedIds.has(issue.id));
  const selectedIssues = issues.filter((issue) => selectedIds.has(issue.id));
  const allBookmarked =
    selectedIssues.length > 0 && selectedIssues.every((issue) => issue.isBookmarked);

  const mutation = useMutation({
    mutationFn: ({ action }: { action: BulkAction; count: number }) => {
      const target: BulkTarget = allMatching
        ? { kind: 'query', params }
        : { kind: 'ids', ids: [...selectedIds] };
      return bulkUpdateIssues(orgSlug, target, action.update);
    },
    onSuccess: (_response, { action, count }) => {
      props.onResult(`${action.done(describeCount(count))}.`);
      props.onSelectPage(false);
    },
    onError: (error, { action }) => {
      props.onResult(describeFailure(`${action.verb} the selected issues`, error));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.issues(orgSlug) }),
  });

  function run(action: BulkAction) {
    if (selectedCount === 0) {
      return;
    }
    const needsConfirmation = allMatching || action.update.merge === true;
    if (
      needsConfirmation &&
      !window.confirm(`${capitalize(action.verb)} ${describeCount(selectedCount)}?`)
    ) {
      return;
    }
    mutation.mutate({ action, count: selectedCount });
  }

  const disabled = selectedCount === 0 || mutation.isPending;
  const showSelectAllMatching =
    pageSelected && hits !== null && hits > issues.length && !allMatching;

  return (
    <>
      <div className="issue-list-header">
        <input
          type="checkbox"
          className="issue-select"
          aria-label="Select all issues on this page"
          checked={pageSelected}
          disabled={issues.length === 0}
          onChange={(event) => {
            props.onSelectPage(event.target.checked);
          }}
        />
        <div className="issue-actions-bar" role="toolbar" aria-label="Actions on selected issues">
          <ActionButton
            label="Resolve"
            disabled={disabled}
            onClick={() => {
              run(ACTIONS.resolve);
            }}
          />
          <ActionButton
            label="Unresolve"
            disabled={disabled}
            onClick={() => {
              run(ACTIONS.unresolve);
            }}
          />
          <ActionSelect
            label="Archive"
            disabled={disabled}
            options={[
              { value: 'forever', label: 'Forever' },
              { value: 'escalating', label: 'Until escalating' },
            ]}
            onSelect={(value) => {
              run(value === 'forever' ? ACTIONS.archiveForever : ACTIONS.archiveUntilEscalating);
            }}
          />
          <AssigneeSelect
            orgSlug={orgSlug}
            disabled={disabled}
            onSelect={(assignedTo, name) => {
              run({
                update: { assignedTo },
                verb: 'assign',
                done: (count) =>
                  assignedTo === '' ? `Unassigned ${count}` : `Assigned ${count} to ${name}`,
              });
            }}
          />
          <ActionButton
            label="Merge"
            disabled={disabled || allMatching || selectedIds.size < 2}
            title="Merge two or more issues into the one with the most events"
            onClick={() => {
              run(ACTIONS.merge);
            }}
          />
          <ActionButton
            label="Mark Reviewed"
            disabled={disabled}
            onClick={() => {
              run(ACTIONS.markReviewed);
            }}
          />
          <ActionButton
            label={allBookmarked ? 'Remove Bookmark' : 'Bookmark'}
            disabled={disabled}
            onClick={() => {
              run({
                update: { isBookmarked: !allBookmarked },
                verb: allBookmarked ? 'remove the bookmarks of' : 'bookmark',
                done: (count) =>
                  allBookmarked ? `Removed the bookmarks of ${count}` : `Bookmarked ${count}`,
              });
            }}
          />
        </div>
        <span className="issue-graph">Last 24h</span>
        <span className="issue-count">Events</span>
        <span className="issue-count">Users</span>
        <span className="issue-assignee">Assignee</span>
      </div>
      {showSelectAllMatching ? (
        <div className="issue-select-all-banner">
          All {issues.length} issues on this page are selected.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              props.onSelectAllMatching(true);
            }}
          >
            Select all {hits} issues matching this search
          </button>
        </div>
      ) : null}
      {allMatching ? (
        <div className="issue-select-all-banner">
          All {hits} issues matching this search are selected.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              props.onSelectAllMatching(false);
            }}
          >
            Clear selection
          </button>
        </div>
      ) : null}
    </>
  );
}

interface ActionButtonProps {
  label: string;
  disabled: boolean;
  title?: string;
  onClick: () => void;
}

/** Renders one button of the action bar. */
function ActionButton({ label, disabled, title, onClick }: ActionButtonProps) {
  return (
    <button
      type="button"
      className="button button-small"
      disabled={disabled}
      title={title}
      onClick={onClick}
    >
      {label}
    </button>
  );
}

interface ActionSelectProps {
  label: string;
  disabled: boolean;
  options: { value: string; label: string }[];
  onSelect: (value: string) => void;
}

/** Renders a select that runs an action when an option is picked, then shows its label again. */
function ActionSelect({ label, disabled, options, onSelect }: ActionSelectProps) {
  return (
    <select
      className="action-select"
      aria-label={label}
      value=""
      disabled={disabled}
      onChange={(event) => {
        if (event.target.value !== '') {
          onSelect(event.target.value);
        }
      }}
    >
      <option value="">{label}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

interface AssigneeSelectProps {
  orgSlug: string;
  disabled: boolean;
  /** Called with Sentry's `assignedTo` value (`user:<id>`, `team:<id>`, or `""`) and a name. */
  onSelect: (assignedTo: string, name: string) => void;
}

function AssigneeSelect({ orgSlug, disabled, onSelect }: AssigneeSelectProps) {
  const membersQuery = useQuery(membersOptions(orgSlug));
  const teamsQuery = useQuery(teamsOptions(orgSlug));

  const options = [
    ...(membersQuery.data ?? [])
      .filter((member) => member.user !== null)
      .map((member) => ({
        value: `user:${member.user?.id ?? ''}`,
        label: member.name === '' ? member.email : member.name,
      })),
    ...(teamsQuery.data ?? []).map((team) => ({
      value: `team:${team.id}`,
      label: `#${team.slug}`,
    })),
  ];

  return (
    <ActionSelect
      label="Assign to"
      disabled={disabled}
      options={[...options, { value: 'none', label: 'Unassign' }]}
      onSelect={(value) => {
        const label = options.find((option) => option.value === value)?.label ?? value;
        onSelect(value === 'none' ? '' : value, label);
      }}
    />
  );
}

function describeCount(count: number): string {
  return count === 1 ? '1 issue' : `${count} issues`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
