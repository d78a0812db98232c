import { describe, expect, it } from 'vitest';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { CheckInRow, EnvironmentRow } from '../crons/check-in-store.js';
import { decideCronTransition, parseCronMark } from './cron-state.js';

const MINUTE = 60_000;
// 03:00 in Berlin on 2030-01-01 (UTC+1).
const EXPECTED = Date.UTC(2030, 0, 1, 2, 0);
const NIGHTLY: MonitorConfig = {
  schedule_type: 'crontab',
  schedule: '0 3 * * *',
  checkin_margin: 5,
  max_runtime: 30,
  timezone: 'Europe/Berlin',
  failure_issue_threshold: null,
  recovery_threshold: null,
};

const ENVIRONMENT: EnvironmentRow = {
  id: 7,
  monitorId: 3,
  environment: 'production',
  status: 'ok',
  dateCreated: 0,
  lastCheckIn: EXPECTED - 24 * 60 * MINUTE,
  nextCheckIn: EXPECTED,
  nextCheckInLatest: EXPECTED + 5 * MINUTE,
};

const LATEST: CheckInRow = {
  id: 11,
  guid: 'a'.repeat(32),
  projectId: 1,
  monitorId: 3,
  monitorEnvironmentId: 7,
  status: 'ok',
  duration: 1_000,
  dateCreated: EXPECTED - 24 * 60 * MINUTE,
  dateUpdated: EXPECTED - 24 * 60 * MINUTE,
  expectedTime: null,
  timeoutAt: null,
  monitorConfig: JSON.stringify(NIGHTLY),
  traceId: null,
};

const decide = (now: number, mark = parseCronMark(undefined)) =>
  decideCronTransition({ environment: ENVIRONMENT, latest: LATEST, config: NIGHTLY, mark, now });

describe('decideCronTransition', () => {
  it('reports the first missed slot of a crontab in its time zone', () => {
    const decision = decide(EXPECTED + 6 * MINUTE);

    expect(decision?.transition).toEqual({ kind: 'missed', expectedAt: EXPECTED });
  });

  it('reports only the latest of several missed slots', () => {
    const threeDaysLater = EXPECTED + 3 * 24 * 60 * MINUTE + 6 * MINUTE;

    const decision = decide(threeDaysLater);

    expect(decision?.transition).toEqual({
      kind: 'missed',
      expectedAt: EXPECTED + 3 * 24 * 60 * MINUTE,
    });
  });

  it('reports nothing again for the slot already reported', () => {
    const first = decide(EXPECTED + 6 * MINUTE);

    const second = decide(EXPECTED + 60 * MINUTE, first?.mark);

    expect(second).toBeUndefined();
  });

  it('reports a check-in in progress past its runtime as timed out', () => {
    const running = { ...LATEST, status: 'in_progress', timeoutAt: EXPECTED + 30 * MINUTE };
    const environment = { ...ENVIRONMENT, nextCheckIn: EXPECTED + 24 * 60 * MINUTE };
    environment.nextCheckInLatest = environment.nextCheckIn + 5 * MINUTE;

    const decision = decideCronTransition({
      environment,
      latest: running,
      config: NIGHTLY,
      mark: undefined,
      now: EXPECTED + 31 * MINUTE,
    });

    expect(decision?.transition).toMatchObject({ kind: 'failed', status: 'timeout' });
  });

  it('reads an unreadable mark as no mark', () => {
    expect(parseCronMark('{"state":"paused"}')).toBeUndefined();
    expect(parseCronMark('not json')).toBeUndefined();
  });
});
