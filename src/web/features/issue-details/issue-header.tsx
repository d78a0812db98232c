import { Link } from 'react-router';

import type { Issue } from '../../../shared/api/issues';
import { ClampedText } from '../../components/clamped-text';
import { EventText } from '../../components/event-text';
import { IssueTitle } from '../../components/issue-title';
import { LevelBadge } from '../../components/level-badge';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { AssigneePicker } from './assignee-picker';
import { IssueStatusControl } from './issue-status-control';
import { IssueUserActions } from './issue-user-actions';

interface IssueHeaderProps {
  issue: Issue;
  orgSlug: string;
}

const STATUS_LABELS: Record<Issue['status'], string> = {
  unresolved: 'Unresolved',
  resolved: 'Resolved',
  ignored: 'Archived',
};

/** Badges of the substatuses that call for attention. */
const SUBSTATUS_BADGES: Partial<Record<NonNullable<Issue['substatus']>, string>> = {
  new: 'New',
  regressed: 'Regressed',
  escalating: 'Escalating',
};

/** Explains the current status and its details in one sentence. */
function describeStatus(issue: Issue): string | null {
  const details = issue.statusDetails;
  if (issue.status === 'resolved') {
    if (details.inNextRelease === true) {
      return 'This issue is resolved in the next release: events of newer releases reopen it.';
    }
    if (details.inRelease !== undefined) {
      return `This issue is resolved in release ${details.inRelease}: events of this release or a newer one reopen it.`;
    }
    return 'This issue was marked as resolved: a new event reopens it.';
  }
  if (issue.status === 'ignored') {
    if (details.ignoreUntilEscalating === true) {
      return 'This issue is archived until it escalates.';
    }
    if (details.ignoreCount !== undefined) {
      const window =
        details.ignoreWindow === undefined ? '' : ` within ${details.ignoreWindow} minutes`;
      return `This issue is archived until it occurs ${details.ignoreCount} more times${window}.`;
    }
    if (details.ignoreUserCount !== undefined) {
      const window =
        details.ignoreUserWindow === undefined ? '' : ` within ${details.ignoreUserWindow} minutes`;
      return `This issue is archived until ${details.ignoreUserCount} more users are affected${window}.`;
    }
    if (details.ignoreUntil !== undefined) {
      return `This issue is archived until ${new Date(details.ignoreUntil).toLocaleString()}.`;
    }
    return 'This issue is archived forever, so it is left out of the Unresolved tab.';
  }
  return null;
}

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
          {issue.substatus !== null && SUBSTATUS_BADGES[issue.substatus] !== undefined ? (
            <span className={`badge badge-${issue.substatus}`}>
              {SUBSTATUS_BADGES[issue.substatus]}
            </span>
          ) : null}
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
        <div className="issue-actions">
          <IssueStatusControl issue={issue} orgSlug={orgSlug} />
          <AssigneePicker issue={issue} orgSlug={orgSlug} />
          <IssueUserActions issue={issue} orgSlug={orgSlug} />
        </div>
        <Link
          className="issue-events-link"
          to={`/organizations/${orgSlug}/issues/${issue.id}/events/`}
        >
          All events
        </Link>
        {issue.status === 'unresolved' ? null : (
          <div className={`issue-status-note issue-status-${issue.status}`} role="status">
            {describeStatus(issue)}
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
