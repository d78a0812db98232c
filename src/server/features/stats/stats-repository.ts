import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface OutcomeTotalsFilter {
  projectIds: number[];
  startMs: number;
  endMs: number;
  categories: string[];
  outcomes: string[];
  reasons: string[];
}

export interface OutcomeTotalRow {
  projectId: number;
  hour: number;
  outcome: string;
  reason: string;
  category: string;
  quantity: number;
}

/** Reads hourly outcome totals from the `outcomes` table. */
export class StatsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Returns the outcome rows of the projects in `[startMs, endMs)`, filtered as asked. The
   * primary key (project, hour, outcome, reason, category) serves the project and hour range.
   */
  async listOutcomes(filter: OutcomeTotalsFilter): Promise<OutcomeTotalRow[]> {
    if (filter.projectIds.length === 0) {
      return [];
    }

    let query = this.#db
      .selectFrom('outcomes')
      .select(['projectId', 'hour', 'outcome', 'reason', 'category', 'quantity'])
      .where('projectId', 'in', filter.projectIds)
      .where('hour', '>=', filter.startMs)
      .where('hour', '<', filter.endMs);

    if (filter.categories.length > 0) {
      query = query.where('category', 'in', filter.categories);
    }
    if (filter.outcomes.length > 0) {
      query = query.where('outcome', 'in', filter.outcomes);
    }
    if (filter.reasons.length > 0) {
      query = query.where('reason', 'in', filter.reasons);
    }

    const rows = await query.execute();
    return rows.map((row) => ({
      projectId: Number(row.projectId),
      hour: Number(row.hour),
      outcome: row.outcome,
      reason: row.reason,
      category: row.category,
      quantity: Number(row.quantity),
    }));
  }
}
