import { useQuery } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';

import type { IssueActivity } from '../../../shared/api/issues';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { currentUserOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { useAddComment, useDeleteComment, useEditComment } from './issue-workflow-api';

const MAX_COMMENT_LENGTH = 10_000;

interface IssueActivityPanelProps {
  orgSlug: string;
  issueId: string;
  activity: IssueActivity[];
}

/** The issue's timeline, newest first, with a form to comment and edit or delete one's own. */
export function IssueActivityPanel({ orgSlug, issueId, activity }: IssueActivityPanelProps) {
  const currentUser = useQuery(currentUserOptions());
  const addComment = useAddComment(orgSlug, issueId);
  const [text, setText] = useState('');
  const textId = useId();

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim() === '') {
      return;
    }
    addComment.mutate(text, {
      onSuccess: () => {
        setText('');
      },
    });
  }

  return (
    <Panel title="Activity" className="issue-activity">
      <form className="comment-form" onSubmit={submit}>
        <label className="field-label" htmlFor={textId}>
          Comment
        </label>
        <textarea
          id={textId}
          value={text}
          maxLength={MAX_COMMENT_LENGTH}
          rows={3}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={addComment.isPending || text.trim() === ''}
        >
          Add comment
        </button>
        {addComment.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('add the comment', addComment.error)}
          </div>
        ) : null}
      </form>
      {activity.length === 0 ? <p className="muted">No activity yet.</p> : null}
      <ol className="activity-list">
        {activity.map((entry) => (
          <ActivityEntry
            key={entry.id}
            entry={entry}
            orgSlug={orgSlug}
            issueId={issueId}
            isOwn={entry.user !== null && entry.user.id === currentUser.data?.id}
          />
        ))}
      </ol>
    </Panel>
  );
}

function ActivityEntry({
  entry,
  orgSlug,
  issueId,
  isOwn,
}: {
  entry: IssueActivity;
  orgSlug: string;
  issueId: string;
  isOwn: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const edit = useEditComment(orgSlug, issueId);
  const remove = useDeleteComment(orgSlug, issueId);
  const author = entry.user === null ? 'Picket' : entry.user.name || entry.user.email;
  const failure = edit.error ?? remove.error;

  return (
    <li className={`activity-entry activity-${entry.type}`}>
      <div className="activity-meta">
        <strong>{author}</strong> <RelativeTime date={entry.dateCreated} />
      </div>
      {entry.type === 'note' && draft !== null ? (
        <form
          className="comment-form"
          onSubmit={(event) => {
            event.preventDefault();
            edit.mutate(
              { id: entry.id, text: draft },
              {
                onSuccess: () => {
                  setDraft(null);
                },
              },
            );
          }}
        >
          <textarea
            aria-label="Edit comment"
            value={draft}
            maxLength={MAX_COMMENT_LENGTH}
            rows={3}
            onChange={(event) => {
              setDraft(event.target.value);
            }}
          />
          <button type="submit" className="button" disabled={edit.isPending || draft.trim() === ''}>
            Save
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(null);
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <p className="activity-text">{describeActivity(entry)}</p>
      )}
      {entry.type === 'note' && isOwn && draft === null ? (
        <div className="activity-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setDraft(typeof entry.data.text === 'string' ? entry.data.text : '');
            }}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={remove.isPending}
            onClick={() => {
              remove.mutate(entry.id);
            }}
          >
            Delete
          </button>
        </div>
      ) : null}
      {failure === null ? null : (
        <div className="alert alert-error" role="alert">
          {describeFailure('change the comment', failure)}
        </div>
      )}
    </li>
  );
}

/** Describes an activity entry in one sentence; comments show their text. */
export function describeActivity(entry: IssueActivity): string {
  const data = entry.data;
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : '');
  switch (entry.type) {
    case 'note':
      return text('text');
    case 'set_resolved':
      return 'Resolved the issue';
    case 'set_resolved_in_release':
      return data.inNextRelease === true
        ? 'Resolved the issue in the next release'
        : `Resolved the issue in release ${text('version')}`;
    case 'set_unresolved':
      return 'Unresolved the issue';
    case 'set_ignored':
      return 'Archived the issue';
    case 'set_escalating':
      return 'The issue is escalating';
    case 'set_regression':
      return text('version') === ''
        ? 'The issue regressed'
        : `The issue regressed in release ${text('version')}`;
    case 'assigned':
      return `Assigned the issue to ${text('assigneeEmail') || text('assigneeName') || text('assignee')}`;
    case 'unassigned':
      return 'Unassigned the issue';
    case 'merge': {
      const count = Array.isArray(data.issues) ? data.issues.length : 0;
      return `Merged ${count} ${count === 1 ? 'issue' : 'issues'} into this one`;
    }
    case 'unmerge_source':
      return 'Moved hashes out of this issue into a new issue';
    case 'unmerge_destination':
      return 'Created this issue from hashes of another issue';
    case 'mark_reviewed':
      return 'Marked the issue as reviewed';
    case 'first_seen':
      return 'First seen';
    default:
      return entry.type;
  }
}
