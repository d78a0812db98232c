import type { Kysely } from 'kysely';

import type { Database } from './schema.js';

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/** Reads the values of the given projects. A project missing from the result has no value. */
export type ProjectValueReader<T> = (
  db: Kysely<Database>,
  projectIds: number[],
) => Promise<ReadonlyMap<number, T>>;

/**
 * Per-project values that the worker reads on every batch (settings, rules, tombstones),
 * cached per thread. An entry is read again once older than `maxAgeMs`, so a change made
 * through the API applies within that time, from any process; a batch reads all its stale
 * projects with one call of `read`. `keep`, when given, may return the previous value in
 * place of an equal new one, so that what was compiled from it is reused.
 */
export class ProjectCache<T> {
  readonly #read: ProjectValueReader<T>;
  readonly #maxAgeMs: number;
  readonly #keep: ((previous: T, next: T) => T) | undefined;
  readonly #entries = new Map<number, Entry<T>>();

  constructor(read: ProjectValueReader<T>, maxAgeMs: number, keep?: (previous: T, next: T) => T) {
    this.#read = read;
    this.#maxAgeMs = maxAgeMs;
    this.#keep = keep;
  }

  async load(
    db: Kysely<Database>,
    projectIds: Iterable<number>,
    now = Date.now(),
  ): Promise<ReadonlyMap<number, T>> {
    const requested = new Set(projectIds);
    const stale = [...requested].filter((projectId) => {
      const entry = this.#entries.get(projectId);
      return entry === undefined || now - entry.loadedAt >= this.#maxAgeMs;
    });

    if (stale.length > 0) {
      const values = await this.#read(db, stale);
      for (const projectId of stale) {
        const next = values.get(projectId);
        if (next === undefined) {
          this.#entries.delete(projectId);
          continue;
        }
        const previous = this.#entries.get(projectId)?.value;
        const value =
          previous === undefined || this.#keep === undefined ? next : this.#keep(previous, next);
        this.#entries.set(projectId, { value, loadedAt: now });
      }
    }

    const result = new Map<number, T>();
    for (const projectId of requested) {
      const entry = this.#entries.get(projectId);
      if (entry !== undefined) {
        result.set(projectId, entry.value);
      }
    }
    return result;
  }
}
