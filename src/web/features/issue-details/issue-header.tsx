import type { Issue } from '../../../shared/api/issues';
import { ClampedText } from '../../components/clamped-text';
import { EventText } from '../../components/event-text';
import { IssueTitle } from '../../components/issue-title';
import { LevelBadge } from '../../components/level-badge';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { IssueActions } from './issue-actions';

interface IssueHeaderProps {
  issue: Issue;
  orgSlug: string;
}

const STATUS_LABELS: Record<Issue['status'], string> = {
  unresolved: 'Unresolved',
  resolved: 'Resolved',
  ignored: 'Ignored',
};

const STATUS_NOTES: Record<Exclude<Issue['status'], 'unresolved'>, string> = {
  resolved: 'This issue was marked as resolved.',
  ignored: 'This issue is ignored, so it is left out of the Unresolved tab.',
};

/**
 * Renders the top of the issue page: title, culprit, counts, times and status actions. The
 * title is cut to two lines, because an exception value can run to thousands of characters.
 */
export function IssueHeader({ issue, orgSlug }: IssueHeaderProps) {
  return (
    <header className="issue-header">
      <div className="issue-header-main">
        <div className="issue-header-kicker">
          <span className="issue-short-id">{issue.shortId}</span>
          <span className="muted">{issue.project.slug}</span>
          <LevelBadge level={issue.level} />
          <span className={`badge badge-${issue.status}`}>{STATUS_LABELS[issue.status]}</span>
          {issue.isUnhandled ? <span className="badge badge-unhandled">Unhandled</span> : null}
        </div>
        <ClampedText as="h1" className="issue-header-title">
          <IssueTitle title={issue.title} metadata={issue.metadata} />
        </ClampedText>
        {issue.culprit === null || issue.culprit === '' ? null : (
          <div className="issue-header-culprit">
            <EventText>{issue.culprit}</EventText>
          </div>
        )}
        <IssueActions issue={issue} orgSlug={orgSlug} />
        {issue.status === 'unresolved' ? null : (
          <div className={`issue-status-note issue-status-${issue.status}`} role="status">
            {STATUS_NOTES[issue.status]}
          </div>
        )}
      </div>
      <dl className="issue-stats">
        <div className="issue-stat">
          <dt>Events</dt>
          <dd title={issue.count}>{formatCount(issue.count)}</dd>
        </div>
        <div className="issue-stat">
          <dt>Users</dt>
          <dd title={String(issue.userCount)}>{formatCount(issue.userCount)}</dd>
        </div>
        <div className="issue-stat">
          <dt>First seen</dt>
          <dd className="issue-stat-time">
            <RelativeTime date={issue.firstSeen} />
          </dd>
        </div>
        <div className="issue-stat">
          <dt>Last seen</dt>
          <dd className="issue-stat-time">
            <RelativeTime date={issue.lastSeen} />
          </dd>
        </div>
      </dl>
    </header>
  );
}
