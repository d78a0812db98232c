import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Writable } from 'node:stream';

import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { CounterSpec } from './counter-store.js';
import { MemoryCounterStore } from './counter-store.js';
import { FALLBACK_RETRY_MS, FallbackCounterStore } from './fallback-counter-store.js';
import { RedisConnection } from './redis-connection.js';
import { RedisCounterStore } from './redis-counter-store.js';

const T0 = Date.UTC(2026, 0, 1);
const KEY_COUNTER: CounterSpec = {
  counter: 'key:60',
  limit: 2,
  windowSeconds: 60,
  offsetSeconds: 0,
};

/** A logger that keeps its messages, to check what the store reported. */
function createRecordingLogger() {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      messages.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      callback();
    },
  });
  return { log: pino({ level: 'info' }, stream), messages };
}

function openClient(port: number): Redis {
  return new Redis(`redis://127.0.0.1:${port}`, {
    keyPrefix: undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

/** Starts a Redis server of this test's own, without persistence, on `port`. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) {
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('FallbackCounterStore', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  function createStore(port: number) {
    const client = openClient(port);
    cleanups.push(() => client.disconnect());
    const { log, messages } = createRecordingLogger();
    const shared = new RedisCounterStore(
      new RedisConnection(client, { prefix: 'picket-fallback', log }),
    );
    return { store: new FallbackCounterStore(shared, new MemoryCounterStore(), log), messages };
  }

  it('counts in this process while Redis is unreachable', async () => {
    const { store, messages } = createStore(await findFreePort());

    const results = [];
    for (let index = 0; index < 3; index += 1) {
      results.push(await store.consume([KEY_COUNTER], 1, T0));
    }

    expect(results).toEqual([[], [], [0]]);
    expect(messages).toContain('shared rate-limit counters failed, counting in this process only');
  });

  it('falls back when Redis accepts connections but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          sockets.forEach((socket) => socket.destroy());
          silent.close(() => resolve());
        }),
    );
    const { store, messages } = createStore((silent.address() as net.AddressInfo).port);

    const rejected = await store.consume([KEY_COUNTER], 1, T0);

    expect(rejected).toEqual([]);
    expect(messages).toContain('shared rate-limit counters failed, counting in this process only');
  });

  it('returns to Redis once it is back', async () => {
    const port = await findFreePort();
    let server = await startRedisServer(port);
    cleanups.push(() => stopProcess(server));
    const { store, messages } = createStore(port);
    await store.consume([KEY_COUNTER], 2, T0);

    await stopProcess(server);
    // The memory store starts from zero, so this is admitted.
    const duringOutage = await store.consume([KEY_COUNTER], 1, T0);
    server = await startRedisServer(port);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + FALLBACK_RETRY_MS });
    let afterOutage: number[] = [];
    const deadline = performance.now() + 20_000;
    while (
      !messages.includes('shared rate-limit counters are back') &&
      performance.now() < deadline
    ) {
      vi.setSystemTime(Date.now() + FALLBACK_RETRY_MS);
      afterOutage = await store.consume([KEY_COUNTER], 1, T0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    expect(duringOutage).toEqual([]);
    expect(messages).toContain('shared rate-limit counters are back');
    // A fresh Redis lost the earlier counts, so the first count after the outage is admitted.
    expect(afterOutage).toEqual([]);
  }, 30_000);
});
