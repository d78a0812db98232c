import { Link } from 'react-router';

import type { Issue } from '../../../shared/api/issues';
import { EventText } from '../../components/event-text';
import { IssueTitle } from '../../components/issue-title';
import { levelClassName } from '../../components/level-badge';
import { RelativeTime } from '../../components/relative-time';
import { isolateBidi } from '../../lib/bidi';
import { formatCount } from '../../lib/format';

interface IssueRowProps {
  issue: Issue;
  orgSlug: string;
}

/** Renders one issue of the issue list, laid out like a row of Sentry's issue stream. */
export function IssueRow({ issue, orgSlug }: IssueRowProps) {
  const isSeen = issue.hasSeen;

  return (
    <li className={`issue-row ${levelClassName(issue.level)}`} data-issue-id={issue.id}>
      <span
        className="issue-level-bar"
        title={`Level: ${isolateBidi(issue.level)}`}
        aria-hidden="true"
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
        <div className="issue-meta">
          <span className="issue-short-id">{issue.shortId}</span>
          {issue.isUnhandled ? <span className="badge badge-unhandled">Unhandled</span> : null}
          {issue.status === 'unresolved' ? null : (
            <span className={`badge badge-${issue.status}`}>{issue.status}</span>
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
      </div>
      <div className="issue-count" title={`${issue.count} events`}>
        {formatCount(issue.count)}
      </div>
      <div className="issue-count" title={`${issue.userCount} users`}>
        {formatCount(issue.userCount)}
      </div>
    </li>
  );
}
