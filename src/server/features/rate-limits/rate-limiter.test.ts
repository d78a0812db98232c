import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createTestRedisPrefix,
  deleteKeys,
  openTestRedis,
} from '../../../../test/helpers/redis-prefix.js';
import { createLogger } from '../../platform/logger.js';
import { MemoryCounterStore, type CounterStore } from './counter-store.js';
import { limitForCategory, RateLimiter, type KeyControls } from './rate-limiter.js';
import { RedisConnection } from './redis-connection.js';
import { RedisCounterStore } from './redis-counter-store.js';
import type { SpikeProtectionOptions } from './spike-protection.js';

// 2026-01-01T00:00:00Z, a whole minute and a whole hour.
const T0 = Date.UTC(2026, 0, 1);
const SPIKE_OFF: SpikeProtectionOptions = { factor: 10, minPerMinute: 1e9, warmupMinutes: 0 };
const KEY: KeyControls = {
  keyId: 60,
  projectId: 7,
  rateLimit: { count: 2, window: 60 },
  allowedDomains: ['*'],
  projectRateLimit: null,
  spikeProtection: false,
};

const errors = (count: number) => new Map([['error', count]]);

let redis: Redis;
const redisPrefixes: string[] = [];

beforeAll(() => {
  redis = openTestRedis();
});

afterAll(async () => {
  for (const prefix of redisPrefixes) {
    await deleteKeys(prefix);
  }
  redis?.disconnect();
});

// Each limiter gets counters of its own: a fresh memory store, or a fresh Redis key prefix.
const STORES: { name: string; create: () => CounterStore }[] = [
  { name: 'memory', create: () => new MemoryCounterStore() },
  {
    name: 'redis',
    create: () => {
      const prefix = createTestRedisPrefix('limiter');
      redisPrefixes.push(prefix);
      return new RedisCounterStore(
        new RedisConnection(redis, { prefix, log: createLogger('silent') }),
      );
    },
  },
];

describe.each(STORES)('RateLimiter on $name counters', ({ create }) => {
  function createLimiter(spike: SpikeProtectionOptions = SPIKE_OFF) {
    return new RateLimiter(create(), spike);
  }

  describe('key quota', () => {
    it('admits items up to the count', async () => {
      const limiter = createLimiter();

      const first = await limiter.check(KEY, errors(1), T0);
      const second = await limiter.check(KEY, errors(1), T0 + 1_000);

      expect(first.limited.size).toBe(0);
      expect(second.limited.size).toBe(0);
    });

    it('rejects the item past the count with the key quota', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(2), T0);

      const decision = await limiter.check(KEY, errors(1), T0 + 18_000);

      expect(decision.limited.get('error')).toEqual({
        retryAfterSeconds: 42,
        categories: ['default', 'error', 'security'],
        scope: 'key',
        reason: 'key_quota',
      });
    });

    it('counts default and security events against the same quota', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, new Map([['default', 1]]), T0);
      await limiter.check(KEY, new Map([['security', 1]]), T0);

      const decision = await limiter.check(KEY, errors(1), T0);

      expect(decision.limited.has('error')).toBe(true);
    });

    it('does not limit transactions', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(3), T0);

      const decision = await limiter.check(KEY, new Map([['transaction', 5]]), T0);

      expect(decision.limited.has('transaction')).toBe(false);
    });

    it('announces the exhausted quota on later requests in the window', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(3), T0);

      const decision = await limiter.check(KEY, new Map([['transaction', 1]]), T0 + 30_000);

      expect(decision.limited.size).toBe(0);
      expect(decision.active).toEqual([
        expect.objectContaining({ reason: 'key_quota', retryAfterSeconds: 30 }),
      ]);
    });

    it('announces nothing before a quota rejected something', async () => {
      const limiter = createLimiter();

      const decision = await limiter.check(KEY, errors(2), T0);

      expect(decision.active).toEqual([]);
    });

    it('admits again in the next window', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(3), T0);

      const decision = await limiter.check(KEY, errors(1), T0 + 60_000);

      expect(decision.limited.size).toBe(0);
      expect(decision.active).toEqual([]);
    });

    it('shifts windows by the key id', async () => {
      const limiter = createLimiter();
      const key = { ...KEY, keyId: 61 };
      await limiter.check(key, errors(3), T0 + 500);

      const decision = await limiter.check(key, errors(1), T0 + 1_500);

      // Key 61 in 60 s windows: windows start at second 1 of each minute.
      expect(decision.limited.size).toBe(0);
    });

    it('drops attachments with their limited event', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(2), T0);

      const decision = await limiter.check(
        KEY,
        new Map([
          ['error', 1],
          ['attachment', 1],
        ]),
        T0,
      );

      expect(limitForCategory(decision, 'attachment')?.reason).toBe('key_quota');
    });

    it('counts nothing when a request is rejected', async () => {
      const limiter = createLimiter();
      await limiter.check(KEY, errors(1), T0);
      await limiter.check(KEY, errors(5), T0);

      const decision = await limiter.check(KEY, errors(1), T0);

      expect(decision.limited.size).toBe(0);
    });
  });

  describe('project quota', () => {
    it('limits all keys of a project together', async () => {
      const limiter = createLimiter();
      const first = { ...KEY, rateLimit: null, projectRateLimit: { count: 3, window: 3_600 } };
      const second = { ...first, keyId: 61 };
      await limiter.check(first, errors(2), T0);
      await limiter.check(second, errors(1), T0);

      const decision = await limiter.check(second, errors(1), T0);

      expect(decision.limited.get('error')).toMatchObject({
        scope: 'project',
        reason: 'project_quota',
        // Project 7's hourly windows start 7 s past each hour.
        retryAfterSeconds: 7,
      });
    });
  });

  describe('spike protection', () => {
    const spiking = { ...KEY, rateLimit: null, spikeProtection: true };

    it('throttles above the floor when there is no history', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 0 });
      await limiter.check(spiking, errors(5), T0);

      const decision = await limiter.check(spiking, errors(1), T0 + 20_000);

      expect(decision.limited.get('error')).toMatchObject({
        reason: 'spike_protection',
        scope: 'project',
        retryAfterSeconds: 40,
      });
    });

    it('raises the threshold with the hourly baseline', async () => {
      const limiter = createLimiter({ factor: 2, minPerMinute: 10, warmupMinutes: 0 });
      // 60 minutes of 10 accepted errors each: baseline 10, threshold 20.
      for (let minute = 0; minute < 60; minute += 1) {
        await limiter.check(spiking, errors(10), T0 + minute * 60_000);
      }
      const now = T0 + 60 * 60_000;

      const atThreshold = await limiter.check(spiking, errors(20), now);
      const past = await limiter.check(spiking, errors(1), now);

      expect(atThreshold.limited.size).toBe(0);
      expect(past.limited.get('error')?.reason).toBe('spike_protection');
    });

    it('does not throttle while warming up', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 10 });

      const decision = await limiter.check(spiking, errors(50), T0);

      expect(decision.limited.size).toBe(0);
    });

    it('counts transactions apart from errors', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 0 });
      await limiter.check(spiking, errors(6), T0);

      const decision = await limiter.check(spiking, new Map([['transaction', 5]]), T0);

      expect(decision.limited.size).toBe(0);
    });

    it('reports a project as active after throttling', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 0 });
      await limiter.check(spiking, errors(6), T0);

      const status = await limiter.readSpikeStatus(7, true, T0 + 1_000);

      expect(status.active).toBe(true);
      expect(status.groups.find((group) => group.group === 'error')?.thresholdPerMinute).toBe(5);
    });

    it('reports a quiet project as inactive', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 0 });

      const status = await limiter.readSpikeStatus(7, true, T0);

      expect(status.active).toBe(false);
    });

    it('ignores a disabled project', async () => {
      const limiter = createLimiter({ factor: 10, minPerMinute: 5, warmupMinutes: 0 });

      const decision = await limiter.check({ ...spiking, spikeProtection: false }, errors(50), T0);

      expect(decision.limited.size).toBe(0);
    });
  });
});
