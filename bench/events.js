// Builds realistic Sentry error envelopes for the benchmark: about 5 KB of JSON per event,
// gzip-compressed, drawn from a fixed set of distinct stack traces.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const WORDS = [
  'order',
  'cart',
  'user',
  'payment',
  'invoice',
  'session',
  'report',
  'queue',
  'cache',
  'search',
];
const TYPES = ['TypeError', 'RangeError', 'ReferenceError', 'Error', 'SyntaxError'];

function pick(list, index) {
  return list[index % list.length];
}

function buildFrames(traceIndex) {
  const frames = [];
  for (let depth = 0; depth < 12; depth += 1) {
    const inApp = depth >= 6;
    const word = pick(WORDS, traceIndex * 7 + depth * 3);
    frames.push({
      filename: inApp ? `/srv/app/src/${word}/${word}-service.js` : `node:internal/modules/${word}`,
      abs_path: inApp ? `/srv/app/src/${word}/${word}-service.js` : `node:internal/modules/${word}`,
      function: `${word}Handler${traceIndex}_${depth}`,
      module: inApp ? `${word}-service` : word,
      lineno: 10 + ((traceIndex * 13 + depth * 17) % 400),
      colno: 5 + (depth % 30),
      in_app: inApp,
      pre_context: inApp
        ? ['  const input = await load(id);', '  if (!input) {', '    return null;', '  }', '']
        : undefined,
      context_line: inApp ? `  return compute${word}(input, options);` : undefined,
      post_context: inApp
        ? ['}', '', `export function compute${word}(value) {`, '  return value;', '}']
        : undefined,
    });
  }
  return frames;
}

/** Returns `count` gzip envelopes with unique event ids, from `traces` distinct stack traces. */
export function buildEnvelopes(count, traces = 200) {
  const bodies = [];
  for (let index = 0; index < count; index += 1) {
    const traceIndex = index % traces;
    const eventId = randomUUID().replaceAll('-', '');
    const event = {
      event_id: eventId,
      timestamp: Date.now() / 1000,
      platform: 'node',
      level: 'error',
      release: 'bench@1.0.0',
      environment: 'production',
      server_name: 'bench-host',
      tags: { region: pick(['eu', 'us', 'ap'], index), feature: pick(WORDS, index) },
      user: { id: String(index % 500), ip_address: '10.0.0.1' },
      exception: {
        values: [
          {
            type: pick(TYPES, traceIndex),
            value: `cannot process ${pick(WORDS, traceIndex)} ${traceIndex}`,
            mechanism: { type: 'generic', handled: true },
            stacktrace: { frames: buildFrames(traceIndex) },
          },
        ],
      },
      breadcrumbs: {
        values: Array.from({ length: 8 }, (_, step) => ({
          timestamp: Date.now() / 1000 - step,
          category: 'http',
          message: `GET /api/${pick(WORDS, step)}/${index} 200`,
          level: 'info',
        })),
      },
      contexts: {
        os: { name: 'Linux', version: '6.1.0' },
        runtime: { name: 'node', version: 'v20.20.2' },
        trace: {
          trace_id: randomUUID().replaceAll('-', ''),
          span_id: randomUUID().slice(0, 16).replaceAll('-', '0'),
        },
      },
      request: {
        url: `https://shop.example.com/${pick(WORDS, index)}/${index}`,
        method: 'POST',
        headers: { 'User-Agent': 'bench' },
      },
      sdk: { name: 'sentry.javascript.node', version: '11.12.0' },
    };
    const header = JSON.stringify({ event_id: eventId, sent_at: new Date().toISOString() });
    const body = `${header}\n{"type":"event"}\n${JSON.stringify(event)}`;
    bodies.push({ eventId, rawBytes: Buffer.byteLength(body), gzip: gzipSync(body) });
  }
  return bodies;
}
