import type { Issue } from './issues.js';

/**
 * Wire types of Picket's attachment and user feedback endpoints, in the shapes of Sentry's
 * `.../events/{event_id}/attachments/` and `.../user-feedback/` responses.
 */

export interface EventAttachment {
  id: string;
  /** Id of the event the file was sent with, as 32 hex digits. */
  event_id: string;
  /** Sentry's `attachment_type`, such as `event.attachment` or `event.minidump`. */
  type: string;
  name: string;
  mimetype: string;
  /** ISO 8601 timestamp of the upload. */
  dateCreated: string;
  /** Size in bytes. */
  size: number;
  headers: { 'Content-Type': string };
  sha1: string;
}

export interface FeedbackUser {
  id: string | null;
  username: string | null;
  email: string | null;
  name: string | null;
  ipAddress: string | null;
}

export interface UserFeedback {
  id: string;
  /** Id of the event the feedback is about, or of the feedback itself when it names none. */
  eventID: string;
  name: string;
  email: string;
  comments: string;
  /** ISO 8601 timestamp. */
  dateCreated: string;
  user: FeedbackUser | null;
  event: { id: string; eventID: string };
  /** The issue of the event, or null while the event is not stored. */
  issue: Issue | null;
  /** Picket's addition: `feedback` for feedback items, `user_report` for legacy reports. */
  kind: 'feedback' | 'user_report';
  /** Picket's addition: the page the feedback was sent from, when the SDK gave it. */
  url: string | null;
  /** Picket's addition: screenshots and other files sent with the feedback. */
  attachments: EventAttachment[];
}

/** Body of `POST /api/0/projects/{org}/{project}/user-feedback/`. */
export interface UserFeedbackRequest {
  event_id: string;
  name: string;
  email: string;
  comments: string;
}
