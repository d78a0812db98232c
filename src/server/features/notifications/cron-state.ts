import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { CheckInRow, EnvironmentRow } from '../crons/check-in-store.js';
import { checkInStatusAt, environmentStatusAt } from '../crons/monitor-serializer.js';
import { checkInMarginMs, nextExpectedCheckIn } from '../crons/schedule.js';

/**
 * The last notification of a monitor environment, stored as JSON in the mark
 * `cron:<monitorEnvironmentId>`: its state, the id of the failed or ok check-in it reported, and
 * the expected time of the missed check-in it reported.
 */
export interface CronMark {
  state: 'ok' | 'failed' | 'missed';
  checkInId: number | null;
  slot: number | null;
}

/** A change of a monitor environment that is notified. */
export type CronTransition =
  | { kind: 'missed'; expectedAt: number }
  | { kind: 'failed'; checkIn: CheckInRow; status: 'error' | 'timeout' }
  | { kind: 'recovered'; checkIn: CheckInRow };

// A monitor that missed many slots while no worker ran is caught up over several runs.
const MAX_SLOT_STEPS = 1_000;

/** Reads a stored mark; a value this code cannot read counts as no mark. */
export function parseCronMark(value: string | undefined): CronMark | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(value) as Partial<CronMark>;
    if (parsed.state !== 'ok' && parsed.state !== 'failed' && parsed.state !== 'missed') {
      return undefined;
    }
    return {
      state: parsed.state,
      checkInId: typeof parsed.checkInId === 'number' ? parsed.checkInId : null,
      slot: typeof parsed.slot === 'number' ? parsed.slot : null,
    };
  } catch {
    return undefined;
  }
}

/**
 * Decides whether a monitor environment changed since the last notification, from the status the
 * monitor pages show at `now`, and returns the change with the mark to store. Each missed slot,
 * each failed check-in and the first ok check-in after a failure or a miss is one change.
 */
export function decideCronTransition(input: {
  environment: EnvironmentRow;
  latest: CheckInRow | undefined;
  config: MonitorConfig;
  mark: CronMark | undefined;
  now: number;
}): { transition: CronTransition; mark: CronMark } | undefined {
  const { environment, latest, config, mark, now } = input;
  const status = environmentStatusAt(environment, latest, now);
  const latestStatus = latest === undefined ? undefined : checkInStatusAt(latest, now);

  if (status === 'missed_checkin' && environment.nextCheckIn !== null) {
    const nextCheckIn = Number(environment.nextCheckIn);
    const isSameEpisode =
      mark?.state === 'missed' && mark.slot !== null && mark.slot >= nextCheckIn;
    const start = isSameEpisode && mark.slot !== null ? mark.slot : nextCheckIn;
    const slot = lastMissedSlot(config, start, now);
    if (isSameEpisode && slot === mark.slot) {
      return undefined;
    }
    return {
      transition: { kind: 'missed', expectedAt: slot },
      mark: { state: 'missed', checkInId: null, slot },
    };
  }

  if (
    latest !== undefined &&
    (status === 'error' || status === 'timeout') &&
    (latestStatus === 'error' || latestStatus === 'timeout')
  ) {
    const checkInId = Number(latest.id);
    if (mark?.state === 'failed' && mark.checkInId === checkInId) {
      return undefined;
    }
    return {
      transition: { kind: 'failed', checkIn: latest, status: latestStatus },
      mark: { state: 'failed', checkInId, slot: null },
    };
  }

  if (
    latest !== undefined &&
    status === 'ok' &&
    latestStatus === 'ok' &&
    mark !== undefined &&
    mark.state !== 'ok'
  ) {
    return {
      transition: { kind: 'recovered', checkIn: latest },
      mark: { state: 'ok', checkInId: Number(latest.id), slot: null },
    };
  }

  return undefined;
}

/**
 * Returns the expected time of the latest slot whose check-in is overdue at `now`, walking the
 * schedule forward from `start`, an overdue slot. No check-in moved the environment's next
 * expected time, so each later slot whose margin passed was missed too.
 */
function lastMissedSlot(config: MonitorConfig, start: number, now: number): number {
  const marginMs = checkInMarginMs(config);
  let slot = start;
  for (let step = 0; step < MAX_SLOT_STEPS; step += 1) {
    const next = nextExpectedCheckIn(config, slot);
    if (next === undefined || next <= slot || now <= next + marginMs) {
      break;
    }
    slot = next;
  }
  return slot;
}
