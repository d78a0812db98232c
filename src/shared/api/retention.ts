/** `GET /api/0/projects/{org}/{project}/picket-storage/`: what Picket keeps for a project. */
export interface ProjectStorage {
  /** Error events stored. */
  eventsKept: number;
  /** Sum of the stored (compressed) event sizes, in bytes. */
  eventBytes: number;
  attachmentsKept: number;
  /** Sum of the attachment blob sizes, in bytes. */
  attachmentBytes: number;
  /** `eventBytes` plus `attachmentBytes`. */
  bytesKept: number;
  /** ISO 8601 time the oldest stored event was received, or null when none is stored. */
  oldestEvent: string | null;
  /** Days data is kept after it was received (the server's `PICKET_RETENTION_DAYS`). */
  retentionDays: number;
  /** The project's cap on stored events (`picketMaxEvents`), or null for none. */
  maxEvents: number | null;
}
