// Payload codec benchmark: the CPU cost per event of compressing stored event payloads with and
// without a per-issue preset dictionary, and of reading them back. It normalizes and prepares
// the events of bench/storage.js (the @sentry/node 11.12.0 capture, 50 issues) as the worker
// does, then times only the codec. Needs no server. Usage: npm run bench -- --payload-codec
import zlib from 'node:zlib';

import { buildCaptureEnvelopes } from './capture-events.js';

const EVENTS = 2_000;
const ROUNDS = 5;

async function loadCodec() {
  const codec = await import('../dist/server/features/events/payload-codec.js');
  const { normalizeEvent } = await import('../dist/server/features/processing/normalize.js');
  const { prepareNormalizedEvent } =
    await import('../dist/server/features/worker/prepare-event.js');
  return { ...codec, normalizeEvent, prepareNormalizedEvent };
}

/** Returns the stored JSON and the issue (exception type) of each benchmark event. */
function prepareEvents(codec) {
  return buildCaptureEnvelopes(EVENTS).map(({ eventId, body }) => {
    const raw = JSON.parse(body.toString('utf8').split('\n')[2]);
    const event = codec.normalizeEvent(raw, {
      eventId,
      receivedAt: Date.now(),
      sentAt: undefined,
      clientIp: '127.0.0.1',
      client: undefined,
    });
    const prepared = codec.prepareNormalizedEvent(1, Date.now(), event);
    return { issue: prepared.hashes[0], json: prepared.json };
  });
}

/** Runs `work` over every item `ROUNDS` times and returns the median microseconds per item. */
function time(items, work) {
  items.slice(0, 50).forEach(work);
  const samples = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    items.forEach(work);
    samples.push(Number(process.hrtime.bigint() - started) / items.length / 1000);
  }
  samples.sort((a, b) => a - b);
  return Number(samples[Math.floor(ROUNDS / 2)].toFixed(1));
}

/** Measures the codec and prints the results as JSON. */
export async function runPayloadCodecBenchmark() {
  const codec = await loadCodec();
  const events = prepareEvents(codec);

  const firsts = new Map();
  for (const event of events) {
    if (!firsts.has(event.issue)) {
      firsts.set(event.issue, JSON.parse(event.json.toString('utf8')));
    }
  }
  const dictionaries = new Map(
    [...firsts].map(([issue, first]) => [issue, codec.buildPayloadDictionary(first)]),
  );
  const withDictionary = events.map((event) => ({
    json: event.json,
    dictionary: dictionaries.get(event.issue),
  }));

  const plain = events.map((event) => codec.compressPayload(event.json, null));
  const compressed = withDictionary.map(({ json, dictionary }) =>
    codec.compressPayload(json, dictionary),
  );
  const average = (buffers) =>
    Math.round(buffers.reduce((sum, buffer) => sum + buffer.length, 0) / buffers.length);
  const stored = [...dictionaries.values()].map((dictionary) =>
    codec.compressDictionary(dictionary),
  );
  const pairs = compressed.map((payload, index) => ({
    payload,
    dictionary: withDictionary[index].dictionary,
  }));

  const result = {
    machine: `${(await import('node:os')).cpus().length} cores, Node ${process.version}`,
    events: events.length,
    issues: dictionaries.size,
    jsonBytesPerEvent: average(events.map((event) => event.json)),
    payloadBytesWithoutDictionary: average(plain),
    payloadBytesWithDictionary: average(compressed),
    payloadBytesWithDictionaryLevel1: average(
      withDictionary.map(({ json, dictionary }) =>
        zlib.deflateSync(json, { level: 1, dictionary }),
      ),
    ),
    dictionaryBytes: average([...dictionaries.values()]),
    storedDictionaryBytes: average(stored),
    microsecondsPerEvent: {
      compressWithoutDictionary: time(events, (event) => codec.compressPayload(event.json, null)),
      compressWithDictionary: time(withDictionary, ({ json, dictionary }) =>
        codec.compressPayload(json, dictionary),
      ),
      compressWithDictionaryLevel1: time(withDictionary, ({ json, dictionary }) =>
        zlib.deflateSync(json, { level: 1, dictionary }),
      ),
      inflateWithoutDictionary: time(plain, (payload) => codec.inflatePayload(payload, null)),
      inflateWithDictionary: time(pairs, ({ payload, dictionary }) =>
        codec.inflatePayload(payload, dictionary),
      ),
    },
    microsecondsPerIssue: {
      buildDictionary: time([...firsts.values()], (first) => codec.buildPayloadDictionary(first)),
      compressDictionary: time([...dictionaries.values()], (dictionary) =>
        codec.compressDictionary(dictionary),
      ),
      checksum: time([...dictionaries.values()], (dictionary) => codec.adler32(dictionary)),
      loadDictionary: time(stored, (content) => codec.inflateDictionary(content)),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
