import '../../styles/feedback.css';

import { Link } from 'react-router';

import type { UserFeedback } from '../../../shared/api/feedback';
import { EventText } from '../../components/event-text';
import { RelativeTime } from '../../components/relative-time';
import { AttachmentList } from '../attachments/attachment-list';

interface FeedbackItemProps {
  feedback: UserFeedback;
  orgSlug: string;
  projectSlug: string;
  /** Whether to show a link to the feedback's issue, which the issue page itself leaves out. */
  showIssue: boolean;
}

/** Renders one feedback: who sent it, when, the comments, the issue and the screenshots. */
export function FeedbackItem({ feedback, orgSlug, projectSlug, showIssue }: FeedbackItemProps) {
  const contact = [feedback.name, feedback.email].filter((part) => part !== '').join(' · ');

  return (
    <article className="feedback-item" data-feedback-id={feedback.id}>
      <header className="feedback-header">
        <EventText className="feedback-contact">{contact === '' ? 'Anonymous' : contact}</EventText>
        <RelativeTime date={feedback.dateCreated} />
      </header>
      <EventText className="feedback-comments">{feedback.comments}</EventText>
      <footer className="feedback-footer">
        {feedback.url === null ? null : (
          <span className="muted" title="Page the feedback was sent from">
            <EventText>{feedback.url}</EventText>
          </span>
        )}
        {showIssue && feedback.issue !== null ? (
          <Link
            className="feedback-issue"
            to={`/organizations/${orgSlug}/issues/${feedback.issue.id}/`}
          >
            <EventText>{`${feedback.issue.shortId}: ${feedback.issue.title}`}</EventText>
          </Link>
        ) : null}
        {showIssue && feedback.issue === null ? (
          <span className="muted">Not linked to an issue</span>
        ) : null}
      </footer>
      {feedback.attachments.length === 0 ? null : (
        <AttachmentList
          orgSlug={orgSlug}
          projectSlug={projectSlug}
          attachments={feedback.attachments}
        />
      )}
    </article>
  );
}
