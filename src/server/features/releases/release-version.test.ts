import { describe, expect, it } from 'vitest';

import { computeHealthData } from './release-serializer.js';
import { checkReleaseVersion, shortenVersion } from './release-version.js';

describe('checkReleaseVersion', () => {
  it('trims and accepts a package version', () => {
    expect(checkReleaseVersion(' app@1.0.0 ')).toEqual({ ok: true, version: 'app@1.0.0' });
  });

  it.each([
    [undefined, 'missing_release'],
    ['', 'missing_release'],
    ['..', 'invalid_release'],
    ['Latest', 'invalid_release'],
    ['a\nb', 'invalid_release'],
    ['a\\b', 'invalid_release'],
    ['v'.repeat(201), 'invalid_release'],
    [42, 'invalid_release'],
  ])('rejects %j', (value, reason) => {
    expect(checkReleaseVersion(value)).toEqual({ ok: false, reason });
  });
});

describe('shortenVersion', () => {
  it.each([
    ['node-capture@1.0.0', '1.0.0'],
    ['app@1.2.3+20261204', '1.2.3 (20261204)'],
    ['0123456789abcdef0123456789abcdef01234567', '0123456789ab'],
    ['1.0', '1.0'],
    ['@scope', '@scope'],
  ])('shortens %s to %s', (version, short) => {
    expect(shortenVersion(version)).toBe(short);
  });
});

describe('computeHealthData', () => {
  it('returns percentages and leaves crashes out of errored sessions', () => {
    const health = computeHealthData({
      sessions: 8,
      errored: 5,
      crashed: 2,
      abnormal: 1,
      unhandled: 0,
      users: 3,
      crashedUsers: 1,
    });

    expect(health.crashFreeSessions).toBe(75);
    expect(health.crashFreeUsers).toBeCloseTo(66.667, 3);
    expect(health.sessionsErrored).toBe(2);
    expect(health.sessionsCrashed).toBe(2);
    expect(health.sessionsAbnormal).toBe(1);
    expect(health.hasHealthData).toBe(true);
  });

  it('returns null rates without sessions or users', () => {
    const health = computeHealthData(undefined);

    expect(health.crashFreeSessions).toBeNull();
    expect(health.crashFreeUsers).toBeNull();
    expect(health.totalSessions).toBe(0);
    expect(health.hasHealthData).toBe(false);
  });

  it('does not go below 0 when more crashes than sessions are stored', () => {
    const health = computeHealthData({
      sessions: 1,
      errored: 3,
      crashed: 3,
      abnormal: 0,
      unhandled: 0,
      users: 0,
      crashedUsers: 0,
    });
    expect(health.crashFreeSessions).toBe(0);
  });
});
