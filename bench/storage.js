// Storage benchmark: sends N error events from a real SDK capture to a fresh embedded server,
// waits until the worker has stored them all, and reports the growth of the data folder per
// event. Then it compresses the stored payloads again with other zlib settings, for comparison.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import Database from 'better-sqlite3';

import { createProject, createToken } from './bench-project.js';
import { buildCaptureEnvelopes } from './capture-events.js';
import { startServer, stopServer } from './picket-process.js';

const CONCURRENCY = 8;
const PROCESS_DEADLINE_MS = 10 * 60_000;
const SAMPLE_PAYLOADS = 1_000;

function postAll(url, bodies) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const statuses = {};
  const post = (body) =>
    new Promise((resolve) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          agent,
          headers: { 'content-length': body.length },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        },
      );
      request.on('error', () => resolve(0));
      request.end(body);
    });
  const lane = async () => {
    while (next < bodies.length) {
      const status = await post(bodies[next++].body);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  return Promise.all(Array.from({ length: CONCURRENCY }, lane)).then(() => {
    agent.destroy();
    return statuses;
  });
}

/** Checkpoints the WAL of a SQLite file and returns its size and the bytes of its free pages. */
function measureFile(file) {
  if (!fs.existsSync(file)) {
    return { fileBytes: 0, freeBytes: 0 };
  }
  const sqlite = new Database(file);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = sqlite.pragma('page_size', { simple: true });
  const freePages = sqlite.pragma('freelist_count', { simple: true });
  sqlite.close();
  return { fileBytes: fs.statSync(file).size, freeBytes: freePages * pageSize };
}

/** Returns the bytes of each table and index on disk by name (SQLite's dbstat). */
function measureObjects(file) {
  const sqlite = new Database(file, { readonly: true });
  const rows = sqlite.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all();
  sqlite.close();
  return new Map(rows.map((row) => [row.name, row.bytes]));
}

/** Lists the tables and indexes that grew between two `measureObjects`, largest first. */
function objectGrowth(before, after, events) {
  return [...after]
    .map(([name, bytes]) => ({
      name,
      bytesPerEvent: perEvent(bytes - (before.get(name) ?? 0), events),
    }))
    .filter((row) => row.bytesPerEvent > 0)
    .sort((a, b) => b.bytesPerEvent - a.bytesPerEvent);
}

async function waitForEvents(file, projectId, expected) {
  const sqlite = new Database(file, { readonly: true });
  const count = sqlite.prepare('SELECT COUNT(*) AS n FROM events WHERE project_id = ?');
  const deadline = Date.now() + PROCESS_DEADLINE_MS;
  try {
    for (;;) {
      const stored = count.get(projectId).n;
      if (stored >= expected) {
        return stored;
      }
      if (Date.now() > deadline) {
        throw new Error(`only ${stored} of ${expected} events were stored in time`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    sqlite.close();
  }
}

function readColumnSums(file, projectId) {
  const sqlite = new Database(file, { readonly: true });
  const sums = sqlite
    .prepare(
      `SELECT COUNT(*) AS events, SUM(size) AS jsonBytes, SUM(LENGTH(payload)) AS payloadBytes,
        SUM(LENGTH(tag_line)) AS tagLineBytes FROM events WHERE project_id = ?`,
    )
    .get(projectId);
  const issues = sqlite
    .prepare('SELECT COUNT(*) AS count FROM issues WHERE project_id = ?')
    .get(projectId).count;
  const dictionaries = sqlite
    .prepare(
      `SELECT COUNT(*) AS count, SUM(LENGTH(content)) AS bytes FROM payload_dictionaries
        WHERE project_id = ?`,
    )
    .get(projectId);
  const contents = new Map(
    sqlite
      .prepare('SELECT id, content FROM payload_dictionaries WHERE project_id = ?')
      .all(projectId)
      .map((row) => [row.id, zlib.inflateSync(row.content)]),
  );
  // The JSON of each sampled event, inflated with its issue's dictionary where it has one.
  const jsons = sqlite
    .prepare(
      'SELECT payload, payload_dictionary_id AS dictionaryId FROM events WHERE project_id = ? LIMIT ?',
    )
    .all(projectId, SAMPLE_PAYLOADS)
    .map((row) =>
      row.dictionaryId === null
        ? zlib.inflateSync(row.payload)
        : zlib.inflateSync(row.payload, { dictionary: contents.get(row.dictionaryId) }),
    );
  sqlite.close();
  return { sums, issues, dictionaries, jsons };
}

const COMPRESSORS = {
  'deflate level 1': (json) => zlib.deflateSync(json, { level: 1 }),
  'deflate level 6': (json) => zlib.deflateSync(json, { level: 6 }),
  'deflate level 9': (json) => zlib.deflateSync(json, { level: 9 }),
  ...Object.fromEntries(
    [1, 4, 5, 6, 9].map((quality) => [
      `brotli quality ${quality}`,
      (json) =>
        zlib.brotliCompressSync(json, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
          },
        }),
    ]),
  ),
};

const DECOMPRESSORS = {
  deflate: (bytes) => zlib.inflateSync(bytes),
  brotli: (bytes) => zlib.brotliDecompressSync(bytes),
};

/** Compresses the stored JSON `jsons` with each setting: bytes and microseconds per event. */
export function compareCompression(jsons) {
  const results = [];
  for (const [name, compress] of Object.entries(COMPRESSORS)) {
    const decompress = name.startsWith('brotli') ? DECOMPRESSORS.brotli : DECOMPRESSORS.deflate;
    jsons.slice(0, 50).forEach((json) => decompress(compress(json)));
    let bytes = 0;
    const compressed = [];
    const compressStarted = process.hrtime.bigint();
    for (const json of jsons) {
      const output = compress(json);
      compressed.push(output);
      bytes += output.length;
    }
    const compressNs = Number(process.hrtime.bigint() - compressStarted);
    const decompressStarted = process.hrtime.bigint();
    for (const output of compressed) {
      decompress(output);
    }
    const decompressNs = Number(process.hrtime.bigint() - decompressStarted);
    results.push({
      method: name,
      bytesPerEvent: Math.round(bytes / jsons.length),
      compressUs: Number((compressNs / jsons.length / 1000).toFixed(1)),
      decompressUs: Number((decompressNs / jsons.length / 1000).toFixed(1)),
    });
  }
  return results;
}

function readPageSize(file) {
  const sqlite = new Database(file, { readonly: true });
  const pageSize = sqlite.pragma('page_size', { simple: true });
  sqlite.close();
  return pageSize;
}

function perEvent(bytes, events) {
  return Math.round(bytes / events);
}

/** Runs the storage benchmark with `count` events and prints the results as JSON. */
export async function runStorageBenchmark({ count, keep = false }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-storage-'));
  const env = { ...process.env, PORT: '0', PICKET_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const databaseFile = path.join(dataDir, 'picket.sqlite');
  const queueFile = path.join(dataDir, 'queue.sqlite');

  const bodies = buildCaptureEnvelopes(count);
  const token = await createToken(env);
  const { server, url } = await startServer({ ...env, LOG_LEVEL: 'info' });
  // A failure below must not leave the server running after the benchmark exits.
  process.once('exit', () => server.kill('SIGKILL'));
  const { projectId, envelopePath } = await createProject(url, token);
  const before = { database: measureFile(databaseFile), queue: measureFile(queueFile) };
  const objectsBefore = measureObjects(databaseFile);

  const started = Date.now();
  const statuses = await postAll(`${url}${envelopePath}`, bodies);
  await waitForEvents(databaseFile, projectId, statuses[200] ?? 0);
  const storedMs = Date.now() - started;
  const running = { database: measureFile(databaseFile), queue: measureFile(queueFile) };
  await stopServer(server);

  const after = { database: measureFile(databaseFile), queue: measureFile(queueFile) };
  const { sums, issues, dictionaries, jsons } = readColumnSums(databaseFile, projectId);
  const events = sums.events;
  const databaseGrowth = after.database.fileBytes - before.database.fileBytes;
  const result = {
    machine: `${os.cpus().length} cores, Node ${process.version}`,
    event: `${bodies[0].body.length} bytes of envelope (@sentry/node 11.12.0 capture), uncompressed`,
    statuses,
    events,
    storedPerSecond: Math.round(events / (storedMs / 1000)),
    jsonBytesPerEvent: perEvent(sums.jsonBytes, events),
    payloadBytesPerEvent: perEvent(sums.payloadBytes, events),
    tagLineBytesPerEvent: perEvent(sums.tagLineBytes, events),
    issues,
    payloadDictionaries: dictionaries.count,
    payloadDictionaryBytesPerEvent: perEvent(dictionaries.bytes ?? 0, events),
    pageSize: readPageSize(databaseFile),
    databaseGrowthBytesPerEvent: perEvent(databaseGrowth, events),
    databaseFreeBytes: after.database.freeBytes,
    queueFileBytesWhileRunning: running.queue.fileBytes,
    queueFreeBytesWhileRunning: running.queue.freeBytes,
    queueFileBytesAfterStop: after.queue.fileBytes,
    objectGrowth: objectGrowth(objectsBefore, measureObjects(databaseFile), events),
    compression: compareCompression(jsons),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (keep) {
    process.stdout.write(`data folder kept: ${dataDir}\n`);
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
