import { sql, type Kysely } from 'kysely';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { Database } from '../../platform/db/index.js';
import type { MonitorRow } from './check-in-store.js';
import { readStoredConfig } from './monitor-config.js';
import { checkInMarginMs, maxRuntimeMs, nextExpectedCheckIn } from './schedule.js';

const MINUTE_MS = 60_000;

/**
 * Recomputes the times that a monitor's config decides, as Sentry does on an update. A new
 * schedule or time zone moves each environment's next expected check-in, counted from its last
 * check-in. A new margin moves the latest time that check-in may arrive. A new maximum runtime
 * sets the timeout of check-ins in progress to their start, cut to the minute, plus that runtime.
 */
export async function rescheduleMonitor(
  trx: Kysely<Database>,
  monitor: MonitorRow,
  next: MonitorConfig,
): Promise<void> {
  const previous = readStoredConfig(monitor.config);
  const isNewSchedule =
    previous.schedule_type !== next.schedule_type ||
    JSON.stringify(previous.schedule) !== JSON.stringify(next.schedule) ||
    previous.timezone !== next.timezone;

  if (isNewSchedule || previous.checkin_margin !== next.checkin_margin) {
    const environments = await trx
      .selectFrom('monitorEnvironments')
      .select(['id', 'lastCheckIn', 'nextCheckIn'])
      .where('monitorId', '=', monitor.id)
      .execute();

    for (const environment of environments) {
      const nextCheckIn =
        isNewSchedule && environment.lastCheckIn !== null
          ? (nextExpectedCheckIn(next, environment.lastCheckIn) ?? null)
          : environment.nextCheckIn;
      await trx
        .updateTable('monitorEnvironments')
        .set({
          nextCheckIn,
          nextCheckInLatest: nextCheckIn === null ? null : nextCheckIn + checkInMarginMs(next),
        })
        .where('id', '=', environment.id)
        .execute();
    }
  }

  if (previous.max_runtime !== next.max_runtime) {
    // Integer literals keep the division integral on both engines, which cuts to the minute.
    const minute = sql.lit(MINUTE_MS);
    await trx
      .updateTable('monitorCheckIns')
      .set({
        timeoutAt: sql<number>`(date_created / ${minute}) * ${minute} + ${sql.lit(maxRuntimeMs(next))}`,
      })
      .where('monitorId', '=', monitor.id)
      .where('status', '=', 'in_progress')
      .execute();
  }
}
