import { sql } from 'kysely';

import type { Db } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';

/** Result of one readiness check. */
export type CheckResult = 'ok' | 'failed' | 'timeout';

const DATABASE_TIMEOUT_MS = 2_000;

/**
 * Runs `SELECT 1` against the database for the readiness check. Concurrent probes share one
 * query, so a load balancer that probes often, or a database that hangs, never piles up
 * connections. Changes of state are logged once each, with the error.
 */
export class DatabaseProbe {
  readonly #db: Db;
  readonly #log: Logger;
  #query: Promise<CheckResult> | undefined;
  #lastResult: CheckResult = 'ok';

  constructor(db: Db, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  async check(): Promise<CheckResult> {
    // A query that times out keeps running, and later probes wait on it until it settles.
    this.#query ??= this.#runQuery().finally(() => {
      this.#query = undefined;
    });

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, DATABASE_TIMEOUT_MS);
    });
    const result = await Promise.race([this.#query, timeout]);
    clearTimeout(timer);

    if (result === 'ok' && this.#lastResult !== 'ok') {
      this.#log.info('database reachable again');
    }
    if (result === 'timeout' && this.#lastResult === 'ok') {
      this.#log.warn({ timeoutMs: DATABASE_TIMEOUT_MS }, 'database readiness query timed out');
    }
    this.#lastResult = result;
    return result;
  }

  #runQuery(): Promise<CheckResult> {
    return sql`SELECT 1`.execute(this.#db.kysely).then(
      (): CheckResult => 'ok',
      (error: unknown): CheckResult => {
        this.#logFailure(error);
        return 'failed';
      },
    );
  }

  #logFailure(error: unknown): void {
    if (this.#lastResult === 'ok') {
      this.#log.warn({ err: error }, 'database readiness query failed');
    }
  }
}
