import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createTestRedisPrefix,
  deleteKeys,
  openTestRedis,
  scanKeys,
} from '../../../../test/helpers/redis-prefix.js';
import { createLogger } from '../../platform/logger.js';
import type { CounterSpec } from './counter-store.js';
import { RedisConnection } from './redis-connection.js';
import { RedisCounterStore } from './redis-counter-store.js';

const T0 = Date.UTC(2026, 0, 1);
const KEY_COUNTER: CounterSpec = {
  counter: 'key:60',
  limit: 10,
  windowSeconds: 60,
  offsetSeconds: 0,
};
const SPIKE_COUNTER: CounterSpec = {
  counter: 'spike:7:error',
  limit: Number.POSITIVE_INFINITY,
  windowSeconds: 60,
  offsetSeconds: 0,
  keepHistory: true,
};

describe('RedisCounterStore', () => {
  const prefixes: string[] = [];
  const clients: Redis[] = [];

  function openStore(prefix: string) {
    const client = openTestRedis();
    clients.push(client);
    return new RedisCounterStore(
      new RedisConnection(client, { prefix, log: createLogger('silent') }),
    );
  }

  function newPrefix() {
    const prefix = createTestRedisPrefix('counters');
    prefixes.push(prefix);
    return prefix;
  }

  let inspector: Redis;

  beforeAll(() => {
    inspector = openTestRedis();
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      await deleteKeys(prefix);
    }
    for (const client of [...clients, inspector]) {
      client.disconnect();
    }
  });

  it('admits exactly the limit from two connections at once', async () => {
    const prefix = newPrefix();
    const first = openStore(prefix);
    const second = openStore(prefix);

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 2 === 0 ? first : second).consume([KEY_COUNTER], 1, T0),
      ),
    );

    expect(results.filter((rejected) => rejected.length === 0)).toHaveLength(10);
    expect(await first.findExhausted([KEY_COUNTER], T0)).toEqual([true]);
  });

  it('gives every key an expiry', async () => {
    const prefix = newPrefix();
    const store = openStore(prefix);
    await store.consume([KEY_COUNTER, SPIKE_COUNTER], 10, T0);
    await store.consume([KEY_COUNTER, SPIKE_COUNTER], 1, T0);

    const keys = await scanKeys(inspector, prefix);
    const ttls = await Promise.all(keys.map((key) => inspector.pttl(key)));

    // The count and exhausted mark of the key, the count and first window of the spike counter.
    expect(keys).toHaveLength(4);
    expect(ttls.every((ttl) => ttl > 0)).toBe(true);
  });

  it('keeps history counts for an hour and other counts for a minute past their window', async () => {
    const prefix = newPrefix();
    const store = openStore(prefix);
    const now = T0 + 30_000;
    await store.consume([KEY_COUNTER, SPIKE_COUNTER], 1, now);

    const keyTtl = await inspector.pttl(`${prefix}:rl:key:60:${T0}`);
    const spikeTtl = await inspector.pttl(`${prefix}:rl:spike:7:error:${T0}`);

    expect(keyTtl).toBeGreaterThan(60_000);
    expect(keyTtl).toBeLessThanOrEqual(90_000);
    expect(spikeTtl).toBeGreaterThan(3_600_000);
    expect(spikeTtl).toBeLessThanOrEqual(3_690_000);
  });

  it('reads per-minute totals since the first window', async () => {
    const store = openStore(newPrefix());
    await store.consume([SPIKE_COUNTER], 4, T0);
    await store.consume([SPIKE_COUNTER], 6, T0 + 2 * 60_000);

    const history = await store.readMinuteHistory(SPIKE_COUNTER.counter, 60, T0 + 3 * 60_000 + 5);

    expect(history).toEqual({ totals: [4, 0, 6], observedMinutes: 3 });
  });

  it('reads no history of an unknown counter', async () => {
    const store = openStore(newPrefix());

    const history = await store.readMinuteHistory('spike:8:error', 60, T0);

    expect(history).toEqual({ totals: [], observedMinutes: 0 });
  });

  it('writes only under its prefix', async () => {
    const prefix = newPrefix();
    const store = openStore(prefix);

    await store.consume([KEY_COUNTER], 1, T0);

    expect(await scanKeys(inspector, prefix)).toEqual([`${prefix}:rl:key:60:${T0}`]);
  });
});
