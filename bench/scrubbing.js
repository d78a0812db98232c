// Scrubbing benchmark: runs the worker's PII scrubber with the default settings, and with the
// defaults plus IP scrubbing and one advanced rule, over the event, transaction and feedback
// payloads that real SDKs sent (PICKET_SDK_CAPTURES, default ../shared/sdk-captures beside the
// repository). Each payload is normalized first, as the worker does, and only the scrubbing
// is timed. Usage: npm run bench -- --scrubbing
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CAPTURES_DIR = path.resolve(
  process.env.PICKET_SDK_CAPTURES ?? path.join(REPOSITORY_ROOT, '../shared/sdk-captures'),
);
const SCRUBBED_ITEM_TYPES = new Set(['event', 'transaction', 'feedback']);

/** Reads every event-like envelope item of the captures. */
function readPayloads() {
  const payloads = [];
  for (const entry of readdirSync(CAPTURES_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) {
      continue;
    }
    const capture = JSON.parse(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    for (const item of capture.envelope?.items ?? []) {
      const type = item.header?.type;
      if (
        SCRUBBED_ITEM_TYPES.has(type) &&
        typeof item.payload === 'object' &&
        item.payload !== null
      ) {
        payloads.push(item.payload);
      }
    }
  }
  return payloads;
}

/** Scrubs copies of `events` in turn for at least `seconds`, and returns events per second. */
function measure(events, config, scrubPayload, spec, seconds) {
  const copies = events.map((event) => JSON.stringify(event));
  let count = 0;
  let elapsed = 0;
  while (elapsed < seconds * 1e9) {
    const batch = copies.map((text) => JSON.parse(text));
    const started = process.hrtime.bigint();
    for (const event of batch) {
      scrubPayload(event, spec, config);
    }
    elapsed += Number(process.hrtime.bigint() - started);
    count += batch.length;
  }
  return Math.round(count / (elapsed / 1e9));
}

export async function runScrubbingBenchmark() {
  const scrubbing = await import(
    path.join(REPOSITORY_ROOT, 'dist/server/features/scrubbing/index.js')
  );
  const { normalizeEvent } = await import(
    path.join(REPOSITORY_ROOT, 'dist/server/features/processing/normalize.js')
  );
  const events = readPayloads().map((raw) =>
    normalizeEvent(raw, {
      eventId: undefined,
      receivedAt: Date.now(),
      sentAt: undefined,
      clientIp: '203.0.113.1',
      client: undefined,
    }),
  );
  const defaults = scrubbing.buildScrubbingConfig(
    scrubbing.ORGANIZATION_DEFAULTS,
    scrubbing.PROJECT_DEFAULTS,
  );
  const advanced = scrubbing.buildScrubbingConfig(scrubbing.ORGANIZATION_DEFAULTS, {
    ...scrubbing.PROJECT_DEFAULTS,
    scrubIPAddresses: true,
    relayPiiConfig: JSON.stringify({
      rules: { order: { type: 'pattern', pattern: 'ORD-[0-9]+', redaction: { method: 'hash' } } },
      applications: { $string: ['order', '@email'] },
    }),
  });

  // A short warm-up, so that the first figure is not the JIT compiling.
  measure(events, defaults, scrubbing.scrubPayload, scrubbing.EVENT_SPEC, 1);
  const result = {
    payloads: events.length,
    meanPayloadBytes: Math.round(
      events.reduce((sum, event) => sum + JSON.stringify(event).length, 0) / events.length,
    ),
    defaultEventsPerSecond: measure(
      events,
      defaults,
      scrubbing.scrubPayload,
      scrubbing.EVENT_SPEC,
      5,
    ),
    advancedEventsPerSecond: measure(
      events,
      advanced,
      scrubbing.scrubPayload,
      scrubbing.EVENT_SPEC,
      5,
    ),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
