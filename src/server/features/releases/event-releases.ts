import type { Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import { upsertReleases } from './release-upsert.js';

/** The fields of a stored error event that name its release. */
export interface EventReleaseFields {
  projectId: number;
  release: string | null;
  timestamp: number;
  receivedAt: number;
}

/**
 * Creates the releases named by a batch of new error events and widens their first and last
 * event times. Events without a release are skipped; normalization already dropped invalid
 * release names.
 */
export async function recordEventReleases(
  trx: Kysely<Database>,
  dialect: Dialect,
  events: readonly EventReleaseFields[],
): Promise<void> {
  const sightings = events.flatMap((event) =>
    event.release === null
      ? []
      : [
          {
            projectId: event.projectId,
            version: event.release,
            seenAt: event.receivedAt,
            firstEvent: event.timestamp,
            lastEvent: event.timestamp,
          },
        ],
  );

  if (sightings.length > 0) {
    await upsertReleases(trx, dialect, sightings);
  }
}
