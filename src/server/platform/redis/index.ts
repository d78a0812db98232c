/**
 * The Redis connection of the scale-out mode (`REDIS_URL`), shared by the queue and the
 * rate-limit counters.
 * @module
 */
import { createRequire } from 'node:module';

import type { Redis } from 'ioredis';

import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export type { Redis };

export interface OpenRedisOptions {
  /** Name shown by `CLIENT LIST`, such as `picket-ingest`. */
  connectionName?: string;
  /**
   * Milliseconds after which a command that got no reply fails (default 5,000). A client that
   * sends blocking commands must allow their block time on top.
   */
  commandTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

// ioredis (a CommonJS package) is loaded on the first `openRedis`, so that the embedded mode,
// which never opens Redis, does not keep its modules in each thread (1.4 MB of live heap).
const requireModule = createRequire(import.meta.url);
let redisClass: typeof Redis | undefined;

function loadRedisClass(): typeof Redis {
  redisClass ??= (requireModule('ioredis') as { Redis: typeof Redis }).Redis;
  return redisClass;
}

/**
 * Opens a client for `config.redisUrl`. Every key a command names is prefixed with
 * `<config.redisPrefix>:`, so callers pass names such as `queue`. The prefix does not apply to
 * the patterns of SCAN and KEYS, nor to the keys of commands that name them after a subcommand
 * (XGROUP, XINFO, OBJECT): callers add `redis.options.keyPrefix` to those themselves.
 *
 * A command fails at once while the connection is down (no offline queue, no resend after a
 * reconnect), so that callers can respond with 503 instead of waiting. The client reconnects in the
 * background forever. A failed connection is logged once per outage, with the URL's password
 * left out. Close the client with `quit()`.
 * @throws Error when `config.redisUrl` is not set.
 */
export function openRedis(
  config: Pick<Config, 'redisUrl' | 'redisPrefix'>,
  log: Logger,
  options: OpenRedisOptions = {},
): Redis {
  const url = config.redisUrl;
  if (url === undefined) {
    throw new Error('openRedis needs REDIS_URL to be set');
  }

  const RedisClient = loadRedisClass();
  const redis = new RedisClient(url, {
    keyPrefix: `${config.redisPrefix}:`,
    connectionName: options.connectionName,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });
  logOutages(redis, log, redactRedisUrl(url));
  return redis;
}

/**
 * Waits until the client is connected, for at most `timeoutMs`. Returns whether it is; a client
 * that is not keeps trying in the background.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') {
    return true;
  }

  return new Promise<boolean>((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

/** Returns the URL without its user name and password, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    // The configuration accepted a URL that `URL` cannot parse; the scheme alone is safe.
    return url.startsWith('rediss:') ? 'rediss://(invalid URL)' : 'redis://(invalid URL)';
  }
}

// ioredis emits `error` on every failed reconnect attempt, which during an outage means several
// times a second. Only the first one of each outage is logged.
function logOutages(redis: Redis, log: Logger, where: string): void {
  let down = false;

  redis.on('error', (error: Error) => {
    if (!down) {
      down = true;
      log.error({ err: error, redis: where }, 'redis connection failed, reconnecting');
    }
  });
  redis.on('ready', () => {
    if (down) {
      down = false;
      log.info({ redis: where }, 'redis connection restored');
    }
  });
}
