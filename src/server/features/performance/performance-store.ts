import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { SpanInsert, TransactionInsert } from './performance-rows.js';

// 21 columns per span row: 100 rows stay far below SQLite's limit of 32,766 bound parameters.
const ROWS_PER_INSERT = 100;

export function transactionKey(projectId: number, eventId: string): string {
  return `${projectId}:${eventId}`;
}

/**
 * Inserts transaction rows, skipping those whose project and event id are stored already (a
 * resent transaction) or appear earlier in `rows`. Returns the keys (`transactionKey`) of the
 * rows that were inserted.
 */
export async function insertTransactions(
  trx: Kysely<Database>,
  rows: TransactionInsert[],
): Promise<Set<string>> {
  const unique = new Map<string, TransactionInsert>();
  for (const row of rows) {
    const key = transactionKey(row.projectId, row.eventId);
    if (!unique.has(key)) {
      unique.set(key, row);
    }
  }

  const inserted = new Set<string>();
  const values = [...unique.values()];
  for (let start = 0; start < values.length; start += ROWS_PER_INSERT) {
    const stored = await trx
      .insertInto('transactions')
      .values(values.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.columns(['projectId', 'eventId']).doNothing())
      .returning(['projectId', 'eventId'])
      .execute();
    for (const row of stored) {
      inserted.add(transactionKey(Number(row.projectId), row.eventId));
    }
  }

  return inserted;
}

/** Inserts span rows; a span already stored for the same trace, span id and project is kept. */
export async function insertSpans(trx: Kysely<Database>, rows: SpanInsert[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('spans')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.columns(['traceId', 'spanId', 'projectId']).doNothing())
      .execute();
  }
}
