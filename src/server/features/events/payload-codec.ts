import { deflateSync, inflateSync } from 'node:zlib';

/** deflate reads at most its window, the last 32 KiB, of a preset dictionary (RFC 1951). */
export const MAX_DICTIONARY_BYTES = 32_768;

// Against a dictionary, level 6 gave payloads a quarter smaller than level 1 (318 against 423
// bytes in bench/payload-codec.js) for 10 to 20 % more time, because most of an event matches
// the dictionary in long runs.
const LEVEL_WITH_DICTIONARY = 6;
const LEVEL_WITHOUT_DICTIONARY = 1;
const LEVEL_OF_DICTIONARY = 9;

// Top-level fields copied into a dictionary as they are: they describe the code, the SDK and
// the deployment, and repeat across an issue's events.
const KEPT_FIELDS = new Set([
  'level',
  'platform',
  'type',
  'logger',
  'server_name',
  'release',
  'dist',
  'environment',
  'sdk',
  'modules',
  'title',
  'culprit',
  'metadata',
  'location',
  'hashes',
  'fingerprint',
  'debug_meta',
]);
// Stack traces repeat the most, so they go last, where deflate finds them even when the
// dictionary is cut to its window.
const STACK_FIELDS = ['exception', 'threads', 'stacktrace'];
// Contexts kept with their values: they describe the runtime and machine, not a person. The
// device context keeps its values too, except those that name one device.
const KEPT_CONTEXTS = new Set(['runtime', 'os', 'culture', 'cloud_resource', 'browser', 'app']);
const DEVICE_IDENTIFIERS = new Set(['name', 'id', 'device_unique_identifier']);
// Tags kept with their values; other tags keep only their key.
const KEPT_TAGS = new Set([
  'level',
  'environment',
  'release',
  'dist',
  'server_name',
  'runtime',
  'runtime.name',
  'os',
  'os.name',
  'browser',
  'browser.name',
  'mechanism',
  'handled',
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keeps the keys and the shape of a value and drops every string and number in it. */
function blank(value: unknown): unknown {
  if (typeof value === 'string') {
    return '';
  }
  if (typeof value === 'number') {
    return 0;
  }
  if (Array.isArray(value)) {
    return value.map(blank);
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, blank(item)]));
  }
  return value;
}

/** Copies a stack trace section without the frames' local variables. */
function withoutVars(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutVars);
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'vars')
        .map(([key, item]) => [key, withoutVars(item)]),
    );
  }
  return value;
}

function trimContexts(contexts: unknown): unknown {
  if (!isObject(contexts)) {
    return blank(contexts);
  }
  return Object.fromEntries(
    Object.entries(contexts).map(([name, context]) => [name, trimContext(name, context)]),
  );
}

function trimContext(name: string, context: unknown): unknown {
  if (KEPT_CONTEXTS.has(name)) {
    return context;
  }
  return name === 'device' ? trimDevice(context) : blank(context);
}

function trimDevice(device: unknown): unknown {
  if (!isObject(device)) {
    return blank(device);
  }
  return Object.fromEntries(
    Object.entries(device).map(([key, value]) => [
      key,
      DEVICE_IDENTIFIERS.has(key) ? blank(value) : value,
    ]),
  );
}

function trimTags(tags: unknown): unknown {
  if (!Array.isArray(tags)) {
    return blank(tags);
  }
  return tags.map((tag: unknown) =>
    Array.isArray(tag) && typeof tag[0] === 'string' && KEPT_TAGS.has(tag[0]) ? tag : blank(tag),
  );
}

/**
 * Builds the preset dictionary of an issue from its first stored event: the event's JSON with
 * whatever may identify a person (user, request, breadcrumbs, extra, custom contexts, most tag
 * values, frame variables) reduced to its keys, because the dictionary outlives the event and
 * a user's data deletion removes only events. Exception messages stay, as in the title.
 */
export function buildPayloadDictionary(event: Json): Buffer {
  const reduced: Json = {};
  const kept: Json = {};
  const stacks: Json = {};

  for (const [key, value] of Object.entries(event)) {
    if (STACK_FIELDS.includes(key)) {
      stacks[key] = withoutVars(value);
    } else if (KEPT_FIELDS.has(key)) {
      kept[key] = value;
    } else if (key === 'contexts') {
      reduced[key] = trimContexts(value);
    } else if (key === 'tags') {
      reduced[key] = trimTags(value);
    } else {
      reduced[key] = blank(value);
    }
  }

  const json = Buffer.from(JSON.stringify({ ...reduced, ...kept, ...stacks }));
  return json.length > MAX_DICTIONARY_BYTES ? json.subarray(-MAX_DICTIONARY_BYTES) : json;
}

/** Compresses an event's JSON, against a preset dictionary when one is given. */
export function compressPayload(json: Buffer, dictionary: Buffer | null): Buffer {
  if (dictionary === null) {
    return deflateSync(json, { level: LEVEL_WITHOUT_DICTIONARY });
  }
  return deflateSync(json, { level: LEVEL_WITH_DICTIONARY, dictionary });
}

/**
 * Inflates a stored payload to its JSON bytes.
 * @throws Error from zlib when the payload needs a dictionary and gets none or another one.
 */
export function inflatePayload(payload: Buffer, dictionary: Buffer | null): Buffer {
  return dictionary === null ? inflateSync(payload) : inflateSync(payload, { dictionary });
}

/** Compresses a dictionary for its table row. */
export function compressDictionary(dictionary: Buffer): Buffer {
  return deflateSync(dictionary, { level: LEVEL_OF_DICTIONARY });
}

/** Inflates a dictionary read from its table row. */
export function inflateDictionary(content: Buffer): Buffer {
  return inflateSync(content);
}

const ADLER_MODULUS = 65_521;
// zlib's NMAX: the longest run of bytes whose sums stay below 2^32 between two modulus steps.
const ADLER_RUN = 5_552;

/** Computes Adler-32 (RFC 1950), the checksum zlib stores as the DICTID of a payload. */
export function adler32(bytes: Buffer): number {
  let low = 1;
  let high = 0;
  for (let start = 0; start < bytes.length; start += ADLER_RUN) {
    const end = Math.min(start + ADLER_RUN, bytes.length);
    for (let index = start; index < end; index += 1) {
      low += bytes[index] ?? 0;
      high += low;
    }
    low %= ADLER_MODULUS;
    high %= ADLER_MODULUS;
  }
  return high * 65_536 + low;
}

// RFC 1950: bit 5 of the second header byte (FDICT) means a DICTID follows in bytes 2 to 5.
const FDICT = 0x20;

/** Returns the DICTID of a zlib stream, or null when it was compressed without a dictionary. */
export function readDictionaryChecksum(payload: Buffer): number | null {
  const flags = payload[1];
  if (flags === undefined || (flags & FDICT) === 0 || payload.length < 6) {
    return null;
  }
  return payload.readUInt32BE(2);
}
