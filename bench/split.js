// Split-mode benchmark: `picket serve --role ingest` and `--role worker` as separate processes on
// PostgreSQL, with the PostgreSQL queue or, with `queue: 'redis'`, the Redis queue. For each
// worker count it loads the ingest processes with bench/load.js and samples the stored event
// count, the queue backlog and each process's resident size every second.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { createProject, createToken } from './bench-project.js';
import { cli, percentile, ROOT, startServer, stopServer } from './picket-process.js';

const SAMPLE_MS = 1_000;
// After the load, the workers run alone for this long: their drain rate is their capacity
// without the ingest process and the load generator on the same cores.
const DRAIN_MS = 15_000;

function readRssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    // The process has exited between two samples.
    return 0;
  }
}

/**
 * Returns whether this build has a Redis queue: the queue platform folder of the build holds a
 * module whose name contains "redis" once that queue is added.
 */
function hasRedisQueue() {
  const folder = path.join(ROOT, 'dist/server/platform/queue');
  return fs.readdirSync(folder).some((name) => /redis/i.test(name) && name.endsWith('.js'));
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function startLoad(url, options) {
  const load = fork(fileURLToPath(new URL('./load.js', import.meta.url)), [
    url,
    String(options.events),
    String(options.concurrency),
    String(options.durationS),
    String(options.rate),
    String(options.warmupS),
  ]);
  const ready = new Promise((resolve) => load.once('message', resolve));
  const done = new Promise((resolve) =>
    load.on('message', (message) => message.type === 'done' && resolve(message)),
  );
  return { load, ready, done };
}

/** Returns the stored events per second between the first and last sample at or after `fromMs`. */
function sustainedRate(samples, fromMs, toMs) {
  const window = samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs);
  const first = window[0];
  const last = window.at(-1);
  if (first === undefined || last === undefined || last.atMs === first.atMs) {
    return 0;
  }
  return Math.round((last.stored - first.stored) / ((last.atMs - first.atMs) / 1000));
}

async function runOnce(options, workerCount) {
  const schema = `bench_split_${process.pid}_${Date.now()}`;
  await withClient(options.postgresUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const databaseUrl = new URL(options.postgresUrl);
  databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-split-'));
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PICKET_DATA_DIR: dataDir,
    PICKET_SECRET_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl.toString(),
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  if (options.queue === 'redis') {
    env.REDIS_URL = options.redisUrl;
    env.PICKET_REDIS_PREFIX = `${options.redisPrefix}:${schema}`;
  }
  const processes = [];

  try {
    await cli(['migrate'], env);
    const token = await createToken(env);
    const web = await startServer({ ...env, LOG_LEVEL: 'info' }, ['--role', 'web']);
    processes.push({ role: 'web', server: web.server });
    const { envelopePath } = await createProject(web.url, token);
    await stopServer(web.server);

    const ingests = [];
    for (let index = 0; index < options.ingests; index += 1) {
      const ingest = await startServer({ ...env, LOG_LEVEL: 'info' }, ['--role', 'ingest']);
      ingests.push(ingest);
      processes.push({ role: 'ingest', server: ingest.server });
    }
    for (let index = 0; index < workerCount; index += 1) {
      const worker = await startServer({ ...env, LOG_LEVEL: 'info' }, ['--role', 'worker']);
      processes.push({ role: 'worker', server: worker.server });
    }

    const loads = ingests.map((ingest) =>
      startLoad(`${ingest.url}${envelopePath}`, {
        ...options,
        concurrency: Math.ceil(options.concurrency / ingests.length),
        rate: options.rate / ingests.length,
        events: Math.ceil(options.events / ingests.length),
      }),
    );
    await Promise.all(loads.map((entry) => entry.ready));

    const samples = [];
    const peakRss = { web: 0, ingest: 0, worker: 0 };
    const started = Date.now();
    const sampler = await withClient(env.DATABASE_URL, async (client) => {
      let sampling = true;
      const loop = (async () => {
        while (sampling) {
          const { rows } = await client.query(
            `SELECT (SELECT COUNT(*) FROM events) AS stored,
              (SELECT COUNT(*) FROM ingest_queue) AS queued`,
          );
          samples.push({
            atMs: Date.now() - started,
            stored: Number(rows[0].stored),
            backlog: options.queue === 'postgres' ? Number(rows[0].queued) : null,
          });
          for (const { role, server } of processes) {
            peakRss[role] = Math.max(peakRss[role], readRssMb(server.pid));
          }
          await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
        }
      })();
      loads.forEach((entry) => entry.load.send('start'));
      const results = await Promise.all(loads.map((entry) => entry.done));
      const loadEndMs = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
      sampling = false;
      await loop;
      return { results, loadEndMs };
    });
    loads.forEach((entry) => entry.load.kill());

    const latencies = sampler.results.flatMap((result) => result.latencies).sort((a, b) => a - b);
    const accepted = sampler.results.reduce((sum, result) => sum + result.accepted, 0);
    const elapsedMs = Math.max(...sampler.results.map((result) => result.elapsedMs));
    const last = samples.at(-1);
    return {
      queue: options.queue,
      ingestProcesses: options.ingests,
      workerProcesses: workerCount,
      accepted,
      acceptedPerSecond: Math.round(accepted / (elapsedMs / 1000)),
      storedPerSecond: sustainedRate(samples, options.warmupS * 1000, sampler.loadEndMs),
      drainPerSecond: sustainedRate(samples, sampler.loadEndMs + 1_000, Infinity),
      storedAtEnd: last?.stored,
      backlogAtEnd: last?.backlog ?? (last === undefined ? null : accepted - last.stored),
      httpP50Ms: Number(percentile(latencies, 50).toFixed(2)),
      httpP99Ms: Number(percentile(latencies, 99).toFixed(2)),
      peakRssMb: { ingest: Math.round(peakRss.ingest), worker: Math.round(peakRss.worker) },
      timeline: samples
        .filter((_, index) => index % 5 === 0)
        .map(
          (sample) =>
            `${Math.round(sample.atMs / 1000)}s stored ${sample.stored} backlog ${sample.backlog ?? '-'}`,
        ),
    };
  } finally {
    await Promise.all(processes.map(({ server }) => stopServer(server)));
    await withClient(options.postgresUrl, (client) =>
      client.query(`DROP SCHEMA ${schema} CASCADE`),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs the split-mode benchmark once per worker count and prints each run and the scaling
 * factor of the last count over the first. With `queue: 'redis'` it needs a build with the Redis
 * queue, and skips with a message otherwise.
 */
export async function runSplitBenchmark(options) {
  const settings = {
    ingests: 1,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: process.env.PICKET_REDIS_PREFIX ?? 'picket-bench',
    ...options,
  };
  if (settings.queue === 'redis' && !hasRedisQueue()) {
    process.stdout.write('split benchmark skipped: this build has no Redis queue\n');
    return;
  }

  const runs = [];
  for (const workerCount of settings.workerCounts) {
    const result = await runOnce(settings, workerCount);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    runs.push(result);
  }
  const first = runs[0];
  const last = runs.at(-1);
  if (runs.length > 1 && first !== undefined && last !== undefined && first.storedPerSecond > 0) {
    const factor = (last.storedPerSecond / first.storedPerSecond).toFixed(2);
    const drainFactor = (last.drainPerSecond / Math.max(1, first.drainPerSecond)).toFixed(2);
    process.stdout.write(
      `scaling factor (${last.workerProcesses} workers / ${first.workerProcesses}): ${factor} under load, ${drainFactor} draining\n`,
    );
  }
}
