/**
 * S10: slowloris. 1000 sockets each send a request line and then one header byte every two
 * seconds, never finishing the headers. The server must close every one within 10 s of its
 * connection, while `GET /api/0/` keeps answering. The 10 s bound is the product's promise: a
 * 5 s header timeout checked every second.
 */
import net from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { send } from './lib/http-client.js';
import { reportScore } from './lib/scorecard.js';
import { isAlive, startSecurityPicket, type SecurityPicket } from './lib/security-server.js';

const SOCKETS = 1000;
const CLOSE_BOUND_MS = 10_000;
const OBSERVE_MS = 14_000;
const BYTE_INTERVAL_MS = 2_000;

interface SlowSocket {
  openedAt: number;
  closedAt: number | undefined;
}

function openSlowSocket(port: number): SlowSocket {
  const state: SlowSocket = { openedAt: Date.now(), closedAt: undefined };
  const socket = net.connect({ host: '127.0.0.1', port });
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    // The server holds the socket from here; 1000 connects in one burst wait in the accept
    // queue for a while before this, and that wait is not the server's to bound.
    state.openedAt = Date.now();
    socket.write('GET /api/0/ HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    timer = setInterval(() => socket.write('X'), BYTE_INTERVAL_MS);
  });
  const onClose = () => {
    clearInterval(timer);
    state.closedAt ??= Date.now();
  };
  socket.on('close', onClose);
  socket.on('error', onClose);
  // The attack sockets are destroyed at the end of the observation in any case.
  setTimeout(() => {
    clearInterval(timer);
    socket.destroy();
  }, OBSERVE_MS + 500).unref();
  return state;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

describe('S10 slowloris', () => {
  let picket: SecurityPicket;

  beforeAll(async () => {
    picket = await startSecurityPicket();
  }, 60_000);

  afterAll(async () => {
    await picket?.stop();
  });

  it(`closes ${SOCKETS} slow-header sockets within 10 s while serving requests`, async () => {
    const port = Number(new URL(picket.url).port);
    const sockets: SlowSocket[] = [];
    for (let index = 0; index < SOCKETS; index += 1) {
      sockets.push(openSlowSocket(port));
    }

    const latencies: number[] = [];
    const failures: string[] = [];
    const deadline = Date.now() + OBSERVE_MS;
    while (Date.now() < deadline) {
      const started = performance.now();
      const result = await send({ method: 'GET', url: `${picket.url}/api/0/` });
      latencies.push(performance.now() - started);
      if (result.status !== 200) {
        failures.push(`${result.status} ${result.text.slice(0, 100)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const lifetimes = sockets.map(
      (socket) => (socket.closedAt ?? Number.POSITIVE_INFINITY) - socket.openedAt,
    );
    const late = lifetimes.filter((lifetime) => lifetime > CLOSE_BOUND_MS).length;
    const closed = lifetimes.filter(Number.isFinite);
    const p99 = percentile(latencies, 0.99);
    reportScore(
      `S10 slowloris: ${late} of ${SOCKETS} slow-header sockets open after 10 s (closed ones lived median ${Math.round(percentile(closed, 0.5))} ms, max ${Math.round(Math.max(0, ...closed))} ms); GET /api/0/ p99 ${p99.toFixed(1)} ms over ${latencies.length} requests, ${failures.length} failed`,
    );
    expect(failures).toEqual([]);
    expect(isAlive(picket)).toBe(true);
    expect(
      late,
      `${late} of ${SOCKETS} sockets that never finish their headers were still open after 10 s: the HTTP server needs headersTimeout 5 s and connectionsCheckingInterval 1 s (Node's defaults are 60 s and 30 s)`,
    ).toBe(0);
  }, 40_000);
});
