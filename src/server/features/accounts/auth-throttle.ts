import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** A limit of `limit` attempts per fixed window of `windowMs` for one key. */
export interface ThrottleRule {
  /** Such as `login:ip:203.0.113.9` or `login:email:ada@example.com`. */
  key: string;
  limit: number;
  windowMs: number;
}

export interface ThrottleResult {
  /** False once the window has more attempts than the limit. */
  allowed: boolean;
  /** Attempts counted in the current window, this one included when it was counted. */
  count: number;
  /** Seconds until the window ends, at least 1. */
  retryAfterSeconds: number;
}

/** Rows of windows that ended this long ago are deleted; no rule has a longer window. */
const MAX_WINDOW_MS = 3_600_000;
const PURGE_EVERY_HITS = 200;

/**
 * Counts attempts in fixed windows in the `auth_throttle` table, so that every process that
 * shares the database shares the counts. One upsert per hit both counts and starts a new window
 * when the old one is over, so concurrent hits are never lost.
 */
export class AuthThrottle {
  readonly #db: Kysely<Database>;
  #hitsSincePurge = 0;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Counts one attempt against `rule` and returns whether it is within the limit. */
  async hit(rule: ThrottleRule, now = Date.now()): Promise<ThrottleResult> {
    const cutoff = now - rule.windowMs;
    const row = await this.#db
      .insertInto('authThrottle')
      .values({ key: rule.key, windowStart: now, count: 1 })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          count: sql<number>`CASE WHEN auth_throttle.window_start <= ${cutoff} THEN 1 ELSE auth_throttle.count + 1 END`,
          windowStart: sql<number>`CASE WHEN auth_throttle.window_start <= ${cutoff} THEN ${now} ELSE auth_throttle.window_start END`,
        }),
      )
      .returning(['count', 'windowStart'])
      .executeTakeFirstOrThrow();

    await this.#purgeNowAndThen(now);
    return toResult(rule, Number(row.count), Number(row.windowStart), now);
  }

  /** Reads the count of `rule`'s current window without counting an attempt. */
  async peek(rule: ThrottleRule, now = Date.now()): Promise<ThrottleResult> {
    const row = await this.#db
      .selectFrom('authThrottle')
      .select(['count', 'windowStart'])
      .where('key', '=', rule.key)
      .executeTakeFirst();

    if (row === undefined || Number(row.windowStart) <= now - rule.windowMs) {
      return { allowed: true, count: 0, retryAfterSeconds: 1 };
    }
    return toResult(rule, Number(row.count), Number(row.windowStart), now);
  }

  /** Forgets the attempts of a key. */
  async reset(key: string): Promise<void> {
    await this.#db.deleteFrom('authThrottle').where('key', '=', key).execute();
  }

  async #purgeNowAndThen(now: number): Promise<void> {
    this.#hitsSincePurge += 1;
    if (this.#hitsSincePurge < PURGE_EVERY_HITS) {
      return;
    }

    this.#hitsSincePurge = 0;
    await this.#db
      .deleteFrom('authThrottle')
      .where('windowStart', '<', now - MAX_WINDOW_MS)
      .execute();
  }
}

function toResult(rule: ThrottleRule, count: number, windowStart: number, now: number) {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
  return { allowed: count <= rule.limit, count, retryAfterSeconds };
}
