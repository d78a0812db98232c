/**
 * Login throttling counts on both engines: fixed windows, a new window once the old one ends,
 * and no lost counts when hits arrive together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuthThrottle } from '../../src/server/features/accounts/auth-throttle.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { STORAGE_ENGINES } from '../helpers/engines.js';

const NOW = 1_700_000_000_000;

describe.each(STORAGE_ENGINES)('AuthThrottle on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let throttle: AuthThrottle;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    throttle = new AuthThrottle(db.kysely);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('allows the limit and rejects the next attempt', async () => {
    const rule = { key: 'test:limit', limit: 5, windowMs: 60_000 };
    const results = [];
    for (let i = 0; i < 6; i += 1) {
      results.push(await throttle.hit(rule, NOW + i * 1000));
    }

    expect(results.map((result) => result.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results[5]?.count).toBe(6);
  });

  it('reports the seconds left in the window', async () => {
    const rule = { key: 'test:retry', limit: 1, windowMs: 60_000 };
    await throttle.hit(rule, NOW);

    const rejected = await throttle.hit(rule, NOW + 15_500);

    expect(rejected.allowed).toBe(false);
    expect(rejected.retryAfterSeconds).toBe(45);
  });

  it('starts a new window when the old one ends', async () => {
    const rule = { key: 'test:window', limit: 1, windowMs: 60_000 };
    await throttle.hit(rule, NOW);
    await throttle.hit(rule, NOW + 1000);

    const next = await throttle.hit(rule, NOW + 60_000);

    expect(next).toEqual({ allowed: true, count: 1, retryAfterSeconds: 60 });
  });

  it('keeps keys apart', async () => {
    const first = { key: 'test:a', limit: 1, windowMs: 60_000 };
    const second = { key: 'test:b', limit: 1, windowMs: 60_000 };
    await throttle.hit(first, NOW);

    expect((await throttle.hit(second, NOW)).allowed).toBe(true);
  });

  it('loses no count under concurrent hits', async () => {
    const rule = { key: 'test:concurrent', limit: 100, windowMs: 60_000 };

    await Promise.all(Array.from({ length: 20 }, () => throttle.hit(rule, NOW)));

    expect((await throttle.peek(rule, NOW)).count).toBe(20);
  });

  it('peeks without counting', async () => {
    const rule = { key: 'test:peek', limit: 3, windowMs: 60_000 };
    await throttle.hit(rule, NOW);

    await throttle.peek(rule, NOW);

    expect((await throttle.peek(rule, NOW)).count).toBe(1);
  });

  it('reads an ended window as empty', async () => {
    const rule = { key: 'test:peek-old', limit: 3, windowMs: 60_000 };
    await throttle.hit(rule, NOW);

    expect((await throttle.peek(rule, NOW + 60_000)).count).toBe(0);
  });

  it('forgets a key on reset', async () => {
    const rule = { key: 'test:reset', limit: 1, windowMs: 60_000 };
    await throttle.hit(rule, NOW);
    await throttle.reset(rule.key);

    expect((await throttle.hit(rule, NOW)).count).toBe(1);
  });
});
