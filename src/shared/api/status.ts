/** How far processing is behind ingest, as measured by the queue. */
export interface QueueStatus {
  /** Queue records written but not yet processed; null while not measured yet. */
  depth: number | null;
  /** Age of the oldest record not yet processed, in seconds; null while not measured yet. */
  lagSeconds: number | null;
}

/** Response of `GET /api/0/picket/status/`. */
export interface PicketStatus {
  queue: QueueStatus;
  /**
   * True when the lag or the backlog is past the server's threshold, so that new events show
   * up late and the web app warns about it.
   */
  processingBehind: boolean;
}
