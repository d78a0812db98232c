/** One unit of work for the worker: an event (or other item) with its ingest context. */
export interface QueueRecord {
  projectId: number;
  /** Kind of the body: `event` for an error or message event, `outcomes` for outcome totals. */
  kind: string;
  receivedAt: number;
  /** JSON text of the record's payload and context, as written by ingest. */
  body: string;
}

export interface ClaimedRecord extends QueueRecord {
  id: number;
}

/** The ingest side of the queue. */
export interface QueueWriter {
  /**
   * Writes records durably. The promise resolves only after they are committed, so ingest
   * responds with 200 only then.
   * @throws AppError 503 when the queue cannot take more work.
   */
  enqueue(records: QueueRecord[]): Promise<void>;
  /**
   * Returns how many records were written but not yet processed, as last measured, or undefined
   * while that is not known yet (before the first measurement).
   */
  backlog(): number | undefined;
  /**
   * Returns the age in milliseconds of the oldest record not yet processed (0 when the queue is
   * empty), as last measured, or undefined while that is not known yet. Each queue implements
   * it as it adds the measurement (`/_health`, `/metrics` and the backlog banner read it).
   */
  lagMs?(): number | undefined;
  /**
   * Returns false once the writer can take no more records (closed, or its thread failed), for
   * the readiness check. A writer without it counts as usable.
   */
  isUsable?(): boolean;
  close(): Promise<void>;
}
