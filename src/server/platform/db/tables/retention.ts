export interface RetentionTables {
  eventIds: EventIdsTable;
}

/**
 * The (project, event id) pairs of stored events, on PostgreSQL only. `events` is partitioned
 * there and cannot have a unique key without the partition key, so the worker claims an event
 * id here before it inserts the event. Rows older than the retention are deleted with them.
 */
export interface EventIdsTable {
  projectId: number;
  eventId: string;
  receivedAt: number;
}
