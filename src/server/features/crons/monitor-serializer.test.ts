import { describe, expect, it } from 'vitest';

import type { CheckInRow, EnvironmentRow } from './check-in-store.js';
import type { MonitorRecord } from './monitor-repository.js';
import { checkInStatusAt, environmentStatusAt, serializeMonitor } from './monitor-serializer.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const MINUTE = 60_000;

function environment(overrides: Partial<EnvironmentRow> = {}): EnvironmentRow {
  return {
    id: 1,
    monitorId: 1,
    environment: 'production',
    status: 'ok',
    dateCreated: NOW - 60 * MINUTE,
    lastCheckIn: NOW - 10 * MINUTE,
    nextCheckIn: NOW + 50 * MINUTE,
    nextCheckInLatest: NOW + 51 * MINUTE,
    ...overrides,
  };
}

function checkIn(overrides: Partial<CheckInRow> = {}): CheckInRow {
  return {
    id: 1,
    guid: 'a'.repeat(32),
    projectId: 1,
    monitorId: 1,
    monitorEnvironmentId: 1,
    status: 'ok',
    duration: 1000,
    dateCreated: NOW - 10 * MINUTE,
    dateUpdated: NOW - 10 * MINUTE,
    expectedTime: null,
    timeoutAt: null,
    monitorConfig: '{}',
    traceId: null,
    ...overrides,
  };
}

describe('environmentStatusAt', () => {
  it('reports the stored status while check-ins arrive on time', () => {
    expect(environmentStatusAt(environment(), checkIn(), NOW)).toBe('ok');
    expect(environmentStatusAt(environment({ status: 'error' }), checkIn(), NOW)).toBe('error');
  });

  it('reports missed_checkin after the expected time plus margin', () => {
    const late = environment({ nextCheckIn: NOW - 2 * MINUTE, nextCheckInLatest: NOW - MINUTE });
    expect(environmentStatusAt(late, checkIn(), NOW)).toBe('missed_checkin');
  });

  it('stays ok within the margin', () => {
    const withinMargin = environment({
      nextCheckIn: NOW - MINUTE,
      nextCheckInLatest: NOW + MINUTE,
    });
    expect(environmentStatusAt(withinMargin, checkIn(), NOW)).toBe('ok');
  });

  it('reports timeout for a check-in in progress past its runtime', () => {
    const running = checkIn({ status: 'in_progress', duration: null, timeoutAt: NOW - MINUTE });
    expect(environmentStatusAt(environment(), running, NOW)).toBe('timeout');
  });

  it('reports the later of a timeout and a missed check-in', () => {
    const running = checkIn({ status: 'in_progress', timeoutAt: NOW - 30 * MINUTE });
    const late = environment({
      nextCheckIn: NOW - 6 * MINUTE,
      nextCheckInLatest: NOW - 5 * MINUTE,
    });
    expect(environmentStatusAt(late, running, NOW)).toBe('missed_checkin');
  });
});

describe('checkInStatusAt', () => {
  it('keeps in_progress before the timeout', () => {
    expect(checkInStatusAt(checkIn({ status: 'in_progress', timeoutAt: NOW + MINUTE }), NOW)).toBe(
      'in_progress',
    );
  });

  it('reports timeout after it', () => {
    expect(checkInStatusAt(checkIn({ status: 'in_progress', timeoutAt: NOW - MINUTE }), NOW)).toBe(
      'timeout',
    );
  });
});

describe('serializeMonitor', () => {
  const monitor = {
    id: 1,
    guid: 'b'.repeat(32),
    slug: 'nightly',
    name: 'nightly',
    status: 'active',
    isMuted: 0,
    dateCreated: NOW - 60 * MINUTE,
    projectId: 1,
    projectSlug: 'web',
    projectName: 'Web',
    projectPlatform: 'node',
    config: JSON.stringify({ schedule_type: 'interval', schedule: [1, 'hour'] }),
  } as MonitorRecord;

  it('returns null for next check-in times that are no valid date', () => {
    // An interval of 2^53 - 1 minutes, stored before intervals were bounded.
    const unbounded = Number.MAX_SAFE_INTEGER * MINUTE;
    const stored = environment({ nextCheckIn: unbounded, nextCheckInLatest: unbounded + MINUTE });

    const serialized = serializeMonitor(monitor, [stored], new Map(), NOW);

    expect(serialized.environments[0]).toMatchObject({
      nextCheckIn: null,
      nextCheckInLatest: null,
      lastCheckIn: new Date(NOW - 10 * MINUTE).toISOString(),
    });
  });
});
