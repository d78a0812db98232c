/**
 * Redis for tests: the machine's server (`REDIS_URL`, default redis://127.0.0.1:6379), shared
 * with other test runs, so every test writes under a key prefix of its own and deletes its keys
 * with SCAN at the end. Never FLUSHALL.
 */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let prefixCount = 0;

/** Returns a key prefix that no other test or process uses. */
export function createTestRedisPrefix(name: string): string {
  prefixCount += 1;
  return `picket-test:${name}:${process.pid}:${Date.now()}:${prefixCount}`;
}

/** Opens a client with the options Picket uses for rate-limit counters. */
export function openTestRedis(url = TEST_REDIS_URL): Redis {
  return new Redis(url, {
    keyPrefix: undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
}

/** Returns every key under `prefix`, found with SCAN. */
export async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix` and returns how many there were. */
export async function deleteKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url);
  try {
    const keys = await scanKeys(client, prefix);
    for (let start = 0; start < keys.length; start += 500) {
      await client.del(...keys.slice(start, start + 500));
    }
    return keys.length;
  } finally {
    client.disconnect();
  }
}
