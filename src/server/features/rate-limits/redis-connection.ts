import type { Redis } from 'ioredis';

import type { Logger } from '../../platform/logger.js';

/** Time a command may take, waiting for the connection included, before it fails. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
// A Redis that stays down would otherwise log one error per reconnection attempt.
const ERROR_LOG_INTERVAL_MS = 30_000;

export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * An ioredis client with the key prefix of this Picket installation and a deadline on every
 * command. The client must be created with `enableOfflineQueue: false`, so that a command sent
 * while Redis is down fails at once instead of waiting in a queue.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  #lastErrorLogMs = 0;
  #ready: Promise<void> | undefined;

  constructor(
    client: Redis,
    options: { prefix: string; log: Logger; timeoutMs?: number | undefined },
  ) {
    this.client = client;
    this.#prefix = options.prefix;
    this.#timeoutMs = options.timeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
    // Without a listener, ioredis prints every connection error to the console.
    client.on('error', (error: Error) => {
      const now = Date.now();
      if (now - this.#lastErrorLogMs >= ERROR_LOG_INTERVAL_MS) {
        this.#lastErrorLogMs = now;
        options.log.warn({ err: error }, 'redis connection failed');
      }
    });
  }

  /** Returns the key `<prefix>:<parts joined by colons>`. */
  key(...parts: (string | number)[]): string {
    return [this.#prefix, ...parts].join(':');
  }

  /**
   * Runs commands once the connection is ready.
   * @throws RedisTimeoutError when the connection or the commands take longer than the
   * deadline, or the client's error when Redis rejects or is unreachable.
   */
  async run<T>(commands: (client: Redis) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new RedisTimeoutError(this.#timeoutMs));
      }, this.#timeoutMs);
    });
    // Commands still waiting for the connection at the deadline are never sent, so a caller
    // that moved on does not count twice. Commands sent already may still run late.
    const result = this.#whenReady().then(() => {
      if (timedOut) {
        throw new RedisTimeoutError(this.#timeoutMs);
      }
      return commands(this.client);
    });

    try {
      return await Promise.race([result, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection without waiting for pending replies. */
  close(): void {
    this.client.disconnect();
  }

  #whenReady(): Promise<void> {
    if (this.client.status === 'ready') {
      return Promise.resolve();
    }
    if (this.client.status === 'end') {
      return Promise.reject(new Error('The Redis connection is closed'));
    }

    // One listener serves every command that waits, however many there are.
    this.#ready ??= new Promise((resolve) => {
      this.client.once('ready', () => {
        this.#ready = undefined;
        resolve();
      });
    });
    return this.#ready;
  }
}
