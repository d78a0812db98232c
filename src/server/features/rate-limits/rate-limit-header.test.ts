import { describe, expect, it } from 'vitest';

import type { RateLimit } from './quotas.js';
import { formatRateLimits, mergeRateLimits, retryAfterSeconds } from './rate-limit-header.js';

const KEY_LIMIT: RateLimit = {
  retryAfterSeconds: 42,
  categories: ['default', 'error', 'security'],
  scope: 'key',
  reason: 'key_quota',
};
const SPIKE_LIMIT: RateLimit = {
  retryAfterSeconds: 17,
  categories: ['transaction'],
  scope: 'project',
  reason: 'spike_protection',
};

describe('formatRateLimits', () => {
  it('writes retry_after:categories:scope:reason_code', () => {
    expect(formatRateLimits([KEY_LIMIT])).toBe('42:default;error;security:key:key_quota');
  });

  it('separates limits with a comma and a space', () => {
    expect(formatRateLimits([KEY_LIMIT, SPIKE_LIMIT])).toBe(
      '42:default;error;security:key:key_quota, 17:transaction:project:spike_protection',
    );
  });

  it('writes nothing for no limits', () => {
    expect(formatRateLimits([])).toBe('');
  });
});

describe('retryAfterSeconds', () => {
  it('returns the longest limit in whole seconds', () => {
    expect(retryAfterSeconds([SPIKE_LIMIT, KEY_LIMIT])).toBe(42);
  });

  it('rounds fractions up', () => {
    expect(retryAfterSeconds([{ ...KEY_LIMIT, retryAfterSeconds: 1.2 }])).toBe(2);
  });
});

describe('mergeRateLimits', () => {
  it('keeps the longest of equal limits', () => {
    const merged = mergeRateLimits([KEY_LIMIT, { ...KEY_LIMIT, retryAfterSeconds: 50 }]);

    expect(merged).toEqual([{ ...KEY_LIMIT, retryAfterSeconds: 50 }]);
  });

  it('keeps different limits apart', () => {
    expect(mergeRateLimits([KEY_LIMIT, SPIKE_LIMIT])).toHaveLength(2);
  });
});
