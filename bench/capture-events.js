// Builds error envelopes from an event that @sentry/node 11.12.0 sent (the SDK capture
// node/002-envelope-event-exception.json, 5.6 KB of JSON), each with its own event id, trace id,
// timestamp, user and message, uncompressed as the SDK sends events under 32 KiB.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CAPTURES =
  process.env.PICKET_SDK_CAPTURES ?? path.join(REPOSITORY_ROOT, '../shared/sdk-captures');
const CAPTURE_FILE = 'node/002-envelope-event-exception.json';

function readCapturedEvent() {
  const capture = JSON.parse(fs.readFileSync(path.join(CAPTURES, CAPTURE_FILE), 'utf8'));
  return capture.envelope.items[0].payload;
}

function hexId() {
  return randomUUID().replaceAll('-', '');
}

/** Returns `count` envelope bodies (Buffers) with `issues` distinct exception types. */
export function buildCaptureEnvelopes(count, issues = 50) {
  const template = readCapturedEvent();
  const started = Date.now() / 1000;
  const bodies = [];
  for (let index = 0; index < count; index += 1) {
    const event = structuredClone(template);
    const eventId = hexId();
    event.event_id = eventId;
    event.timestamp = started + index / 1000;
    event.contexts.trace.trace_id = hexId();
    event.contexts.trace.span_id = hexId().slice(0, 16);
    event.user = { id: `user-${index % 997}`, ip_address: '127.0.0.1' };
    event.tags = { request_id: hexId().slice(0, 12), shard: `shard-${index % 8}` };
    const exception = event.exception.values.at(-1);
    exception.type = `CaptureError${index % issues}`;
    exception.value = `Order ${100_000 + index} could not be loaded`;
    const header = { event_id: eventId, sent_at: new Date().toISOString() };
    const itemPayload = JSON.stringify(event);
    const itemHeader = { type: 'event', length: Buffer.byteLength(itemPayload) };
    bodies.push({
      eventId,
      body: Buffer.from(
        `${JSON.stringify(header)}\n${JSON.stringify(itemHeader)}\n${itemPayload}\n`,
      ),
    });
  }
  return bodies;
}
