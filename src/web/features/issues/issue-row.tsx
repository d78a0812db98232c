import { Link } from 'react-router';

import type { Issue, IssueAssignee } from '../../../shared/api/issues';
import { EventText } from '../../components/event-text';
import { IssueTitle } from '../../components/issue-title';
import { levelClassName } from '../../components/level-badge';
import { RelativeTime } from '../../components/relative-time';
import { Sparkline, sumSeries } from '../../components/sparkline';
import { isolateBidi } from '../../lib/bidi';
import { formatCount } from '../../lib/format';

interface IssueRowProps {
  issue: Issue;
  orgSlug: string;
  isSelected: boolean;
  onToggle: (issueId: string) => void;
}

/** Renders one issue of the issue list, laid out like a row of Sentry's issue stream. */
export function IssueRow({ issue, orgSlug, isSelected, onToggle }: IssueRowProps) {
  const isSeen = issue.hasSeen;
  const series = issue.stats?.['24h'];

  return (
    <li
      className={`issue-row ${levelClassName(issue.level)}${isSelected ? ' issue-row-selected' : ''}`}
      data-issue-id={issue.id}
    >
      <span
        className="issue-level-bar"
        title={`Level: ${isolateBidi(issue.level)}`}
        aria-hidden="true"
      />
      <input
        type="checkbox"
        className="issue-select"
        aria-label={`Select ${issue.shortId}`}
        checked={isSelected}
        onChange={() => {
          onToggle(issue.id);
        }}
      />
      <div className="issue-summary">
        <Link
          to={`/organizations/${orgSlug}/issues/${issue.id}/`}
          className={isSeen ? 'issue-link' : 'issue-link issue-link-unseen'}
        >
          <IssueTitle title={issue.title} metadata={issue.metadata} />
        </Link>
        {issue.culprit === null || issue.culprit === '' ? null : (
          <div className="issue-culprit">
            <EventText>{issue.culprit}</EventText>
          </div>
        )}
        <IssueMeta issue={issue} />
      </div>
      <div className="issue-graph">
        {series === undefined ? null : (
          <Sparkline series={series} label={`${sumSeries(series)} events in the last 24 hours`} />
        )}
      </div>
      <div className="issue-count" title={`${issue.count} events`}>
        {formatCount(issue.count)}
      </div>
      <div className="issue-count" title={`${issue.userCount} users`}>
        {formatCount(issue.userCount)}
      </div>
      <div className="issue-assignee">
        {issue.assignedTo === null ? null : <AssigneeAvatar assignee={issue.assignedTo} />}
      </div>
    </li>
  );
}

function IssueMeta({ issue }: { issue: Issue }) {
  return (
    <div className="issue-meta">
      {issue.isBookmarked ? (
        <span className="issue-bookmark" role="img" aria-label="Bookmarked" title="Bookmarked">
          ★
        </span>
      ) : null}
      <span className="issue-short-id">{issue.shortId}</span>
      {issue.substatus === 'new' ? <span className="badge badge-new">New</span> : null}
      {issue.substatus === 'regressed' ? (
        <span className="badge badge-regressed">Regressed</span>
      ) : null}
      {issue.substatus === 'escalating' ? (
        <span className="badge badge-escalating">Escalating</span>
      ) : null}
      {issue.isUnhandled ? <span className="badge badge-unhandled">Unhandled</span> : null}
      {issue.status === 'unresolved' ? null : (
        <span className={`badge badge-${issue.status}`}>
          {issue.status === 'ignored' ? 'archived' : issue.status}
        </span>
      )}
      <span className="issue-meta-time">
        <RelativeTime date={issue.lastSeen} prefix="Last seen" />
      </span>
      <span className="issue-meta-time">
        <RelativeTime date={issue.firstSeen} prefix="First seen" />
      </span>
      {issue.numComments > 0 ? (
        <span className="issue-meta-comments">{issue.numComments} comments</span>
      ) : null}
    </div>
  );
}

/** Shows an assignee's initials, or a team's `#` and initial, with the full name on hover. */
function AssigneeAvatar({ assignee }: { assignee: IssueAssignee }) {
  const label = `Assigned to ${assignee.type === 'team' ? '#' : ''}${assignee.name}`;

  return (
    <span className={`avatar avatar-${assignee.type}`} role="img" aria-label={label} title={label}>
      {assignee.type === 'team' ? `#${initials(assignee.name, 1)}` : initials(assignee.name, 2)}
    </span>
  );
}

function initials(name: string, count: number): string {
  const words = name.split(/[\s@._-]+/).filter((word) => word !== '');
  return words
    .slice(0, count)
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}
