import type { Generated } from 'kysely';

/** Tables of user feedback and attachments. */
export interface FeedbackTables {
  eventAttachments: EventAttachmentsTable;
  userFeedback: UserFeedbackTable;
}

/** A file sent with an event; its bytes live in the blob store under `blobKey`. */
export interface EventAttachmentsTable {
  id: Generated<number>;
  projectId: number;
  /** Id of the event the attachment belongs to, which may not be stored (yet). */
  eventId: string;
  name: string;
  contentType: string;
  /** Sentry's `attachment_type`, such as `event.attachment` or `event.minidump`. */
  attachmentType: string;
  size: number;
  sha1: string;
  blobKey: string;
  createdAt: number;
}

/** A `feedback` item or a `user_report` (legacy feedback), linked to an error event. */
export interface UserFeedbackTable {
  id: Generated<number>;
  projectId: number;
  /** `feedback` or `user_report`. */
  kind: string;
  /**
   * Key of the report within its project: the feedback event's own id, or for a user report the
   * id of the event it reports on, because Sentry keeps one user report per event.
   */
  feedbackEventId: string;
  /** Id of the error event the feedback is about, when known. */
  eventId: string | null;
  /** Issue of that event, filled in once the event is stored. */
  issueId: number | null;
  name: string;
  email: string;
  comments: string;
  url: string | null;
  environment: string | null;
  /** The feedback event's `user` interface as JSON text. */
  user: string | null;
  createdAt: number;
}
