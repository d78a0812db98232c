// The load generator process: posts pre-built envelopes over keep-alive connections and
// reports the latency of each request to its parent.
import http from 'node:http';

import { buildEnvelopes } from './events.js';

const [, , url, countText, concurrencyText, durationText, rateText, warmupText] = process.argv;
const rate = Number(rateText ?? 0);
const warmupMs = Number(warmupText ?? 0) * 1000;
const count = Number(countText);
const concurrency = Number(concurrencyText);
const durationMs = Number(durationText) * 1000;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const bodies = buildEnvelopes(count);
process.send({ type: 'ready', gzipBytes: bodies[0].gzip.length, rawBytes: bodies[0].rawBytes });

function post(body) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        agent,
        headers: { 'content-encoding': 'gzip', 'content-length': body.gzip.length },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    request.on('error', () =>
      resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    request.end(body.gzip);
  });
}

process.on('message', async (message) => {
  if (message !== 'start') {
    return;
  }
  const deadline = Date.now() + durationMs;
  let next = 0;
  const latencies = [];
  const statuses = {};
  const accepted = [];

  const startedAt = Date.now();

  async function lane() {
    while (Date.now() < deadline && next < bodies.length) {
      const index = next++;
      const body = bodies[index];
      // With a rate, request N leaves at start + N / rate (open loop); without, as fast as the
      // server responds (closed loop).
      const due = rate > 0 ? startedAt + (index * 1000) / rate : 0;
      if (due > Date.now()) {
        await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      const result = await post(body);
      // Requests of the warm-up phase (JIT, first sight of every stack trace) are not measured.
      const measured = Date.now() - startedAt >= warmupMs;
      if (measured) {
        latencies.push(result.ms);
      }
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      if (result.status === 200) {
        accepted.push(body.eventId);
        if (measured && accepted.length % 250 === 0) {
          process.send({ type: 'sample', eventId: body.eventId, at: Date.now() });
        }
      }
    }
  }

  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  process.send({
    type: 'done',
    elapsedMs: Date.now() - started,
    latencies,
    statuses,
    accepted: accepted.length,
  });
  agent.destroy();
});
