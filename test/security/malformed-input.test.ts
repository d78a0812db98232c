/**
 * S6: malformed and hostile requests against ingest and the web API's JSON bodies. Real SDK
 * captures are mutated (bytes flipped, cut, repeated, JSON values replaced) and sent with wrong
 * or lying headers. The server must answer every one below 500 and stay up with no unhandled
 * error in its output.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadCaptures, sampleEvent, type SeedBody } from './lib/corpus.js';
import { mapLimit, send, type HttpRequest } from './lib/http-client.js';
import { reportScore } from './lib/scorecard.js';
import {
  crashLines,
  isAlive,
  serverErrorLines,
  startSecurityPicket,
  type SecurityPicket,
} from './lib/security-server.js';
import { buildSingleOrganization, envelope, type Organization } from './lib/world.js';

const REQUESTS = Number(process.env.PICKET_FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.PICKET_FUZZ_SEED ?? Date.now() % 1_000_000);
const CONCURRENCY = 16;

const INGEST_ROUTES = [
  'envelope/',
  'store/',
  'minidump/',
  'security/',
  'csp-report/',
  'otlp/v1/traces',
  'integration/otlp/v1/logs',
];

/** A small seeded generator (mulberry32), so that a failing run can be repeated by its seed. */
class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Returns an integer in [min, max], or any 32-bit integer without bounds. */
  nextInt(min = 0, max = 0x7fffffff): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(unit * (max - min + 1));
  }

  nextBoolean(): boolean {
    return this.nextInt(0, 1) === 1;
  }
}

const HOSTILE_STRINGS = [
  '\u0000',
  '\uD800',
  '\uFFFF',
  '__proto__',
  'constructor',
  '{{7*7}}',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  'A'.repeat(70_000),
];
/** Query values already percent-encoded, some of them invalid UTF-8 on purpose. */
const RAW_QUERY_VALUES = [
  '%00',
  '%ff%fe',
  '%ED%A0%80',
  '..%2f..%2f',
  'a'.repeat(5000),
  '%27%20OR%201%3D1--',
  '%',
];
/** Numbers as JSON text, so values beyond a double (1e309) reach the server unchanged. */
const HOSTILE_NUMBERS = [
  '1e309',
  '-1',
  '18446744073709551616',
  '-9223372036854775809',
  '1e-320',
  '0.1',
  '9007199254740993',
];

/** Returns a random JSON-ish value with hostile leaves, as JSON text. */
function hostileJson(random: SeededRandom): string {
  const choice = random.nextInt(0, 6);
  switch (choice) {
    case 0:
      return '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}';
    case 1:
      return JSON.stringify({
        event_id: HOSTILE_STRINGS[random.nextInt(0, HOSTILE_STRINGS.length - 1)],
      });
    case 2:
      return `{"timestamp":${HOSTILE_NUMBERS[random.nextInt(0, HOSTILE_NUMBERS.length - 1)] ?? '0'}}`;
    case 3:
      return '{"a":1,"a":2,"exception":{"values":[null,1,"x",[]]}}';
    case 4:
      return `[${'1,'.repeat(100_000)}1]`;
    case 5:
      return '{"message":"\\ud800\\udc00\\ud800","tags":[["k",{}],[null,null]]}';
    default:
      return JSON.stringify(fc.sample(fc.jsonValue(), { seed: random.nextInt(), numRuns: 1 })[0]);
  }
}

/** Applies 1–4 random mutations to a body. */
function mutate(body: Buffer, random: SeededRandom): Buffer {
  let out = Buffer.from(body);
  const steps = random.nextInt(1, 4);
  for (let step = 0; step < steps; step += 1) {
    const position = out.length === 0 ? 0 : random.nextInt(0, out.length - 1);
    switch (random.nextInt(0, 8)) {
      case 0: // flip bytes
        for (let i = 0; i < random.nextInt(1, 16) && out.length > 0; i += 1) {
          const at = random.nextInt(0, out.length - 1);
          out[at] = (out[at] ?? 0) ^ (1 << random.nextInt(0, 7));
        }
        break;
      case 1: // cut
        out = out.subarray(0, position);
        break;
      case 2: // insert random bytes
        out = Buffer.concat([
          out.subarray(0, position),
          randomBytes(random.nextInt(1, 64)),
          out.subarray(position),
        ]);
        break;
      case 3: // insert a hostile string
        out = Buffer.concat([
          out.subarray(0, position),
          Buffer.from(HOSTILE_STRINGS[random.nextInt(0, HOSTILE_STRINGS.length - 2)] ?? ''),
          out.subarray(position),
        ]);
        break;
      case 4: // repeat a slice
        out = Buffer.concat([out, out.subarray(position, position + random.nextInt(1, 4096))]);
        break;
      case 5: // lie about an item length
        out = Buffer.from(
          out.toString('latin1').replace(/"length":\d+/, `"length":${random.nextInt(0, 2 ** 31)}`),
          'latin1',
        );
        break;
      case 6: // replace a line with hostile JSON
        {
          const lines = out.toString('utf8').split('\n');
          lines[random.nextInt(0, lines.length - 1)] = hostileJson(random);
          out = Buffer.from(lines.join('\n'));
        }
        break;
      case 7: // NUL bytes
        out = Buffer.concat([
          out.subarray(0, position),
          Buffer.alloc(random.nextInt(1, 8)),
          out.subarray(position),
        ]);
        break;
      default: // add a bogus item
        out = Buffer.concat([
          out,
          Buffer.from(
            `\n{"type":"${['event', 'attachment', 'log', 'span', 'check_in', 'x'][random.nextInt(0, 5)]}","length":${random.nextInt(0, 99)}}\n`,
          ),
          randomBytes(random.nextInt(0, 99)),
        ]);
    }
  }
  return out;
}

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/x-sentry-envelope',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/x-protobuf',
  'application/csp-report',
  'application/json; charset=utf-16',
  'application/json; charset=unknown-8bit',
  '*/*',
];

/** Wraps a body in a real, wrong, truncated or lying content encoding. */
function encode(body: Buffer, random: SeededRandom): { body: Buffer; encoding?: string } {
  switch (random.nextInt(0, 9)) {
    case 0:
      return { body: zlib.gzipSync(body), encoding: 'gzip' };
    case 1: {
      const gz = zlib.gzipSync(body);
      return { body: gz.subarray(0, Math.max(1, random.nextInt(1, gz.length))), encoding: 'gzip' };
    }
    case 2:
      return {
        body,
        encoding: ['gzip', 'deflate', 'br', 'zstd', 'x-unknown'][random.nextInt(0, 4)],
      };
    case 3:
      return { body: zlib.deflateSync(body), encoding: 'deflate' };
    case 4:
      return { body: zlib.brotliCompressSync(body), encoding: 'br' };
    case 5:
      return { body: zlib.gzipSync(zlib.gzipSync(body)), encoding: 'gzip, gzip' };
    case 6:
      return { body, encoding: ['identity', 'UTF-8', '', 'gzip;q=1'][random.nextInt(0, 3)] };
    default:
      return { body };
  }
}

describe('S6 malformed input', () => {
  let picket: SecurityPicket;
  let a: Organization;
  const statuses = new Map<number, number>();
  const failures: string[] = [];

  beforeAll(async () => {
    picket = await startSecurityPicket();
    a = await buildSingleOrganization(picket);
  }, 120_000);

  afterAll(async () => {
    await picket?.stop();
  });

  it(`answers ${REQUESTS} mutated requests below 500 and stays up`, async () => {
    const captures = loadCaptures();
    const seeds: SeedBody[] = [
      ...captures,
      {
        name: 'store',
        route: 'store/',
        body: Buffer.from(JSON.stringify(sampleEvent('a'.repeat(32)))),
      },
      {
        name: 'envelope',
        route: 'envelope/',
        body: Buffer.from(envelope({}, [{ type: 'event', payload: sampleEvent('b'.repeat(32)) }])),
      },
    ];
    expect(captures.length).toBeGreaterThan(10);

    const writeRoutes = picket.routes.filter(
      (route) =>
        route.url.startsWith('/api/0/') &&
        (route.method === 'POST' || route.method === 'PUT') &&
        !route.url.includes('logout'),
    );
    const fill = (url: string) =>
      url.replace(/:([a-zA-Z_]+)/g, (_m, name: string) => encodeURIComponent(a.ids[name] ?? 'x'));
    const random = new SeededRandom(SEED);

    const requests: HttpRequest[] = [];
    for (let index = 0; index < REQUESTS; index += 1) {
      const headers: Record<string, string> = {};
      if (random.nextInt(0, 3) === 0 && writeRoutes.length > 0) {
        // Web API with the owner's token and a hostile or mutated JSON body.
        const route = writeRoutes[random.nextInt(0, writeRoutes.length - 1)];
        if (route === undefined) {
          continue;
        }
        const raw = random.nextBoolean()
          ? Buffer.from(hostileJson(random))
          : mutate(
              Buffer.from('{"name":"n","slug":"s","text":"t","status":"resolved","version":"v"}'),
              random,
            );
        headers.authorization = `Bearer ${a.ownerToken}`;
        const contentType =
          random.nextInt(0, 4) === 0
            ? CONTENT_TYPES[random.nextInt(0, CONTENT_TYPES.length - 1)]
            : 'application/json';
        if (contentType !== undefined) {
          headers['content-type'] = contentType;
        }
        requests.push({
          method: route.method,
          url: `${picket.url}${fill(route.url)}`,
          headers,
          body: new Uint8Array(raw),
        });
        continue;
      }
      const seed = seeds[random.nextInt(0, seeds.length - 1)] ?? seeds[0];
      if (seed === undefined) {
        continue;
      }
      const pickRoute = random.nextInt(0, 3) === 0;
      const route = pickRoute
        ? INGEST_ROUTES[random.nextInt(0, INGEST_ROUTES.length - 1)]
        : seed.route;
      const raw =
        random.nextInt(0, 9) === 0
          ? randomBytes(random.nextInt(0, 4096))
          : mutate(seed.body, random);
      const encoded = encode(raw, random);
      if (encoded.encoding !== undefined) {
        headers['content-encoding'] = encoded.encoding;
      }
      const contentType = CONTENT_TYPES[random.nextInt(0, CONTENT_TYPES.length - 1)];
      if (contentType !== undefined) {
        headers['content-type'] = contentType;
      }
      if (random.nextInt(0, 20) === 0) {
        headers['x-padding'] = 'p'.repeat(random.nextInt(1000, 15_000));
      }
      if (random.nextInt(0, 10) === 0) {
        headers['x-sentry-auth'] =
          `Sentry sentry_key=${random.nextBoolean() ? a.ids.sentryKey : '\u00ff'.repeat(3)}, sentry_version=7`;
      }
      const auth =
        random.nextInt(0, 10) === 0
          ? `sentry_key=${RAW_QUERY_VALUES[random.nextInt(0, RAW_QUERY_VALUES.length - 1)] ?? ''}`
          : `sentry_key=${a.ids.sentryKey}`;
      const projectId =
        random.nextInt(0, 30) === 0
          ? ['0', '-1', '99999999999999999999', 'abc', '%00'][random.nextInt(0, 4)]
          : a.ids.projectId;
      requests.push({
        method: 'POST',
        url: `${picket.url}/api/${projectId}/${route}?${auth}&sentry_version=7`,
        headers,
        body: new Uint8Array(encoded.body),
      });
    }
    // Cron check-ins by GET with hostile query values.
    for (const status of ['ok', 'in_progress', 'error', '\u0000', '%ff', 'x'.repeat(5000)]) {
      requests.push({
        method: 'GET',
        url: `${picket.url}/api/${a.ids.projectId}/cron/${a.ids.monitorSlug}/${a.ids.sentryKey}/?status=${encodeURIComponent(status)}&duration=-1e309`,
      });
    }

    await mapLimit(requests, CONCURRENCY, async (request) => {
      const result = await send(request);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      if (result.status >= 500 || (result.status === 0 && !isAlive(picket))) {
        failures.push(
          `${request.method} ${request.url.slice(0, 120)} ${JSON.stringify(request.headers ?? {}).slice(0, 200)}: ${result.status} ${result.text.slice(0, 200)}`,
        );
      }
    });

    const alive =
      isAlive(picket) &&
      (await send({ method: 'GET', url: `${picket.url}/api/0/` })).status === 200;
    const crashes = crashLines(picket);
    const errors = serverErrorLines(picket);
    const bad = failures.length + crashes.length + (alive ? 0 : 1);
    reportScore(
      `S6 malformed input: ${bad} of ${requests.length} generated/mutated requests gave a 5xx, crash or unhandled rejection (seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries(statuses))})`,
    );
    expect(alive, `server died; its last output:\n${picket.logs.slice(-15).join('\n')}`).toBe(true);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(errors.slice(0, 5)).toEqual([]);
  }, 300_000);
});
