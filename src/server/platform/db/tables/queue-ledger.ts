/**
 * The table of the Redis queue's ledger. It is not part of `Database`: the Redis worker and the
 * pruning job reach it through `withTables<QueueLedgerTables>()`.
 */
// A type alias, because `withTables` needs a type with an implicit index signature.
export type QueueLedgerTables = {
  queueLedger: QueueLedgerTable;
};

/** A Redis stream id of a queue record whose results a worker committed, and when. */
export interface QueueLedgerTable {
  id: string;
  doneAt: number;
}
