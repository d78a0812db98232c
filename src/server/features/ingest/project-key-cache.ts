import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { parseStoredKeyControls, type KeyControls } from '../rate-limits/index.js';

interface CachedKey {
  /** Undefined for an unknown key. */
  controls: KeyControls | undefined;
  isActive: boolean;
  loadedAt: number;
}

/**
 * Time a looked-up key stays cached. A key disabled, rotated or deleted through another process
 * (a separate `--role ingest` server) is still accepted here for at most this long. Changes made
 * through this process's API take effect at once (see `clear`).
 */
export const KEY_TTL_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;
// The queue writer asks for the same wait when its write fails.
const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Looks up DSN public keys with their ingest settings (rate limits, allowed domains, spike
 * protection), keeping each result, found or not, for a few seconds.
 */
export class ProjectKeyCache {
  readonly #db: Kysely<Database>;
  readonly #keys = new Map<string, CachedKey>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Returns the project of an active key, or undefined for an unknown or disabled key. */
  async findProjectId(publicKey: string): Promise<number | undefined> {
    return (await this.findActiveKey(publicKey))?.projectId;
  }

  /**
   * Returns an active key's ingest settings, or undefined for an unknown or disabled key.
   * @throws AppError 503 with Retry-After when the database cannot be read, so that clients
   * retry later instead of dropping the event on a 500.
   */
  async findActiveKey(publicKey: string): Promise<KeyControls | undefined> {
    const now = Date.now();
    const cached = this.#keys.get(publicKey);

    if (cached !== undefined && now - cached.loadedAt < KEY_TTL_MS) {
      return cached.isActive ? cached.controls : undefined;
    }

    const row = await this.#readKey(publicKey).catch((error: unknown) => {
      throw new AppError(503, 'unavailable', 'Storage is unavailable, retry later', {
        cause: error,
        headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
      });
    });

    // A Map iterates in insertion order, so the first entry is the oldest one. Evicting it, not
    // the whole cache, keeps a flood of unknown keys from pushing out the keys in use.
    this.#keys.delete(publicKey);
    if (this.#keys.size >= MAX_CACHED_KEYS) {
      const oldest = this.#keys.keys().next();
      if (oldest.done !== true) {
        this.#keys.delete(oldest.value);
      }
    }
    const controls = row === undefined ? undefined : parseStoredKeyControls(row);
    this.#keys.set(publicKey, { controls, isActive: row?.isActive === 1, loadedAt: now });

    return row?.isActive === 1 ? controls : undefined;
  }

  /** Forgets every cached key, so that changed settings apply to the next request. */
  clear(): void {
    this.#keys.clear();
  }

  #readKey(publicKey: string) {
    return this.#db
      .selectFrom('projectKeys')
      .leftJoin('projectIngestSettings', 'projectIngestSettings.projectId', 'projectKeys.projectId')
      .select([
        'projectKeys.id',
        'projectKeys.projectId',
        'projectKeys.isActive',
        'projectKeys.rateLimitCount',
        'projectKeys.rateLimitWindow',
        'projectKeys.allowedDomains',
        'projectIngestSettings.rateLimitCount as projectRateLimitCount',
        'projectIngestSettings.rateLimitWindow as projectRateLimitWindow',
        'projectIngestSettings.spikeProtection',
      ])
      .where('projectKeys.publicKey', '=', publicKey)
      .executeTakeFirst();
  }
}
