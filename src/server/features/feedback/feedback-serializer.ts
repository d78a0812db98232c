import type { EventAttachment, FeedbackUser, UserFeedback } from '../../../shared/api/feedback.js';
import type { Issue } from '../../../shared/api/issues.js';
import type { FeedbackRecord } from './feedback-repository.js';

/** Builds Sentry's user report object, with Picket's `kind`, `url` and `attachments`. */
export function serializeFeedback(
  row: FeedbackRecord,
  related: { issue: Issue | null; attachments: EventAttachment[] },
): UserFeedback {
  const eventId = row.eventId ?? row.feedbackEventId;

  return {
    id: String(row.id),
    eventID: eventId,
    name: row.name,
    email: row.email,
    comments: row.comments,
    dateCreated: new Date(Number(row.createdAt)).toISOString(),
    user: parseUser(row.user),
    event: { id: eventId, eventID: eventId },
    issue: related.issue,
    kind: row.kind === 'feedback' ? 'feedback' : 'user_report',
    url: row.url,
    attachments: related.attachments,
  };
}

function parseUser(text: string | null): FeedbackUser | null {
  if (text === null) {
    return null;
  }

  let user: Record<string, unknown>;
  try {
    user = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Stored text is cut at 16 KiB, which can break the JSON: the user is then unknown.
    return null;
  }
  const read = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : null;

  return {
    id: read(user.id),
    username: read(user.username),
    email: read(user.email),
    name: read(user.name),
    ipAddress: read(user.ip_address),
  };
}
