import type { Redis } from 'ioredis';

import type { CounterSpec, CounterStore, MinuteHistory } from './counter-store.js';
import { windowStart } from './quotas.js';
import type { RedisConnection } from './redis-connection.js';

const MINUTE_MS = 60_000;
const MAX_HISTORY_MINUTES = 60;
// Keys outlive their window by this much, so a process whose clock runs a little behind still
// finds the count of a window that has just ended elsewhere.
const GRACE_MS = 60_000;
// A counter unused for this long starts its history again, as in the memory store.
const IDLE_TTL_MS = 2 * 3_600_000;

/**
 * Checks every counter, then either adds the quantity to all of them or marks the ones that
 * would pass their limit as exhausted. Redis runs a script without interleaving other commands,
 * so two processes never both take the last room of a window.
 *
 * KEYS: the count keys, then the exhausted keys, then the first-window keys, n of each.
 * ARGV: n, quantity, idle TTL, then per counter: limit (-1 for none), TTL in ms, whether it
 * keeps history (1 or 0), window start in ms.
 */
const CONSUME_SCRIPT = `
local n = tonumber(ARGV[1])
local quantity = tonumber(ARGV[2])
local idleTtl = ARGV[3]
local rejected = {}
for i = 1, n do
  local limit = tonumber(ARGV[4 + (i - 1) * 4])
  if limit >= 0 then
    local count = tonumber(redis.call('GET', KEYS[i]) or '0')
    if count + quantity > limit then
      rejected[#rejected + 1] = i - 1
    end
  end
end
for i = 1, n do
  local base = 4 + (i - 1) * 4
  if ARGV[base + 2] == '1' then
    redis.call('SET', KEYS[2 * n + i], ARGV[base + 3], 'NX')
    redis.call('PEXPIRE', KEYS[2 * n + i], idleTtl)
  end
end
if #rejected == 0 then
  for i = 1, n do
    redis.call('INCRBY', KEYS[i], quantity)
    redis.call('PEXPIRE', KEYS[i], ARGV[4 + (i - 1) * 4 + 1])
  end
else
  for _, index in ipairs(rejected) do
    redis.call('SET', KEYS[n + index + 1], '1', 'PX', ARGV[4 + index * 4 + 1])
  end
end
return rejected
`;

type ConsumeCommand = (
  this: Redis,
  keyCount: number,
  ...keysAndArgs: (string | number)[]
) => Promise<number[]>;

/**
 * Keeps the counters in Redis, shared by every ingest process that uses the same Redis and key
 * prefix. Each window of a counter is one key, `<prefix>:rl:<counter>:<window start ms>`, that
 * expires a minute after its window ends. A counter that keeps history counts in one-minute
 * windows, so its window keys are also its per-minute totals, and they are kept for an hour.
 * @throws from every method when Redis fails or times out; the caller decides
 * what to do then (see `FallbackCounterStore`).
 */
export class RedisCounterStore implements CounterStore {
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
    redis.client.defineCommand('picketConsumeCounters', { lua: CONSUME_SCRIPT });
  }

  async consume(
    counters: readonly CounterSpec[],
    quantity: number,
    nowMs: number,
  ): Promise<number[]> {
    if (counters.length === 0) {
      return [];
    }

    const keys: string[] = [];
    const args: (string | number)[] = [counters.length, quantity, IDLE_TTL_MS];
    const starts = counters.map((spec) => windowStart(spec, nowMs));
    counters.forEach((spec, index) => keys.push(this.#windowKey(spec.counter, starts[index] ?? 0)));
    keys.push(...keys.map((key) => `${key}:x`));
    for (const [index, spec] of counters.entries()) {
      const startMs = starts[index] ?? 0;
      const endMs = startMs + spec.windowSeconds * 1000;
      const historyMs = spec.keepHistory === true ? MAX_HISTORY_MINUTES * MINUTE_MS : 0;
      keys.push(this.#firstKey(spec.counter));
      args.push(
        Number.isFinite(spec.limit) ? spec.limit : -1,
        Math.max(1, endMs - nowMs + GRACE_MS + historyMs),
        spec.keepHistory === true ? 1 : 0,
        startMs,
      );
    }

    return this.#redis.run((client) => {
      const consume = (client as unknown as Record<string, ConsumeCommand>)
        .picketConsumeCounters as ConsumeCommand;
      return consume.call(client, keys.length, ...keys, ...args);
    });
  }

  async findExhausted(counters: readonly CounterSpec[], nowMs: number): Promise<boolean[]> {
    if (counters.length === 0) {
      return [];
    }

    const keys = counters.map(
      (spec) => `${this.#windowKey(spec.counter, windowStart(spec, nowMs))}:x`,
    );
    const values = await this.#redis.run((client) => client.mget(keys));
    return values.map((value) => value !== null);
  }

  async readMinuteHistory(counter: string, minutes: number, nowMs: number): Promise<MinuteHistory> {
    const currentStartMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const requested = Math.min(minutes, MAX_HISTORY_MINUTES);
    const starts: number[] = [];
    for (let minute = requested; minute >= 1; minute -= 1) {
      starts.push(currentStartMs - minute * MINUTE_MS);
    }

    const [first, ...totals] = await this.#redis.run((client) =>
      client.mget(
        this.#firstKey(counter),
        ...starts.map((start) => this.#windowKey(counter, start)),
      ),
    );
    if (first === null || first === undefined) {
      return { totals: [], observedMinutes: 0 };
    }

    const firstStartMs = Number(first);
    return {
      totals: starts.flatMap((start, index) =>
        start < firstStartMs ? [] : [Number(totals[index] ?? 0)],
      ),
      observedMinutes: Math.max(0, Math.floor((currentStartMs - firstStartMs) / MINUTE_MS)),
    };
  }

  #windowKey(counter: string, startMs: number): string {
    return this.#redis.key('rl', counter, startMs);
  }

  #firstKey(counter: string): string {
    return this.#redis.key('rl', counter, 'first');
  }
}
