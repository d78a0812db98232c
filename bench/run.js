// Benchmark: starts the built server in embedded mode, drives it with gzip error envelopes
// from a separate process, and prints events/s fully processed, HTTP latency, time to
// visibility and peak RSS. Usage: npm run bench [-- --duration 20 --concurrency 32]
// With --issues (or PICKET_BENCH_ISSUES=1) it runs the issue list and issue page benchmark of
// bench/issues.js instead, on a seeded database of 1 million events. With --sourcemaps it runs
// the source-map lookup benchmark of bench/sourcemaps.js, which needs no server. With
// --scrubbing it runs the PII scrubber benchmark of bench/scrubbing.js, which needs no server.
// --storage (bench/storage.js) measures the disk used per stored event, --idle-rss
// (bench/idle-rss.js) the resident size of an idle server, and --split (bench/split.js) the
// events/s of separate ingest and worker processes on PostgreSQL. --payload-codec
// (bench/payload-codec.js) times the compression of stored event payloads, without a server.
// --alert-rules (bench/alert-rules.js) compares the worker's events/s with 0 and 20 alert rules.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { cli, percentile, startServer, stopServer } from './picket-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    events: { type: 'string', default: '120000' },
    rate: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '5' },
    issues: { type: 'boolean', default: process.env.PICKET_BENCH_ISSUES === '1' },
    sourcemaps: { type: 'boolean', default: false },
    scrubbing: { type: 'boolean', default: false },
    storage: { type: 'boolean', default: false },
    'storage-events': { type: 'string', default: '5000' },
    'idle-rss': { type: 'boolean', default: false },
    'payload-codec': { type: 'boolean', default: false },
    'alert-rules': { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    queue: { type: 'string', default: 'postgres' },
    workers: { type: 'string', default: '1,2' },
    ingests: { type: 'string', default: '1' },
    'issue-count': { type: 'string', default: '10000' },
    'event-count': { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    keep: { type: 'boolean', default: false },
    'reuse-sqlite': { type: 'string' },
    'reuse-postgres': { type: 'string' },
  },
});

async function api(base, token, method, pathname, body) {
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${pathname}: ${response.status}`);
  }
  return response.json();
}

function readRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)/.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

async function countStored(base, token, org) {
  let total = 0;
  for (let cursor = 0; ; cursor += 100) {
    const issues = await api(
      base,
      token,
      'GET',
      `/api/0/organizations/${org}/issues/?query=&limit=100&cursor=0:${cursor}:0`,
    );
    total += issues.reduce((sum, issue) => sum + Number(issue.count), 0);
    if (issues.length < 100) {
      return total;
    }
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-'));
  const env = { ...process.env, PORT: '0', PICKET_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;

  await cli(
    ['createuser', '--email', 'bench@example.com', '--password-stdin'],
    env,
    'bench-password\n',
  );
  const token = await cli(
    [
      'token',
      'create',
      '--user',
      'bench@example.com',
      '--scopes',
      'org:read,org:write,team:write,project:read,project:write,event:read',
    ],
    env,
  );
  const { server, url } = await startServer(env);
  await api(url, token, 'POST', '/api/0/organizations/', { name: 'Bench', slug: 'bench' });
  await api(url, token, 'POST', '/api/0/teams/bench/bench/projects/', {
    name: 'Bench',
    slug: 'bench',
  });
  const [key] = await api(url, token, 'GET', '/api/0/projects/bench/bench/keys/');
  const ingestUrl = `${url}/api/${key.projectId}/envelope/?sentry_key=${key.public}&sentry_version=7`;

  const load = fork(fileURLToPath(new URL('./load.js', import.meta.url)), [
    ingestUrl,
    values.events,
    values.concurrency,
    values.duration,
    values.rate,
    values.warmup,
  ]);
  const ready = await new Promise((resolve) => load.once('message', resolve));
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, readRssMb(server.pid))), 200);
  const visibility = [];
  const pending = [];

  load.on('message', (message) => {
    if (message.type !== 'sample') {
      return;
    }
    pending.push(
      (async () => {
        for (;;) {
          const response = await fetch(
            `${url}/api/0/projects/bench/bench/events/${message.eventId}/`,
            {
              headers: { authorization: `Bearer ${token}` },
            },
          );
          await response.arrayBuffer();
          if (response.ok) {
            visibility.push(Date.now() - message.at);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })(),
    );
  });

  const started = Date.now();
  load.send('start');
  const done = await new Promise((resolve) =>
    load.on('message', (message) => message.type === 'done' && resolve(message)),
  );
  while ((await countStored(url, token, 'bench')) < done.accepted) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const processedMs = Date.now() - started;
  await Promise.all(pending);
  clearInterval(rssTimer);
  load.kill();

  const latencies = done.latencies.sort((a, b) => a - b);
  const visible = visibility.sort((a, b) => a - b);
  const result = {
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    event: `${ready.rawBytes} bytes JSON, ${ready.gzipBytes} bytes gzip, 200 distinct stack traces`,
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    concurrency: Number(values.concurrency),
    targetRate: Number(values.rate) === 0 ? 'unlimited (closed loop)' : Number(values.rate),
    statuses: done.statuses,
    accepted: done.accepted,
    acceptedPerSecond: Math.round(done.accepted / (done.elapsedMs / 1000)),
    processedPerSecond: Math.round(done.accepted / (processedMs / 1000)),
    httpP50Ms: Number(percentile(latencies, 50).toFixed(2)),
    httpP99Ms: Number(percentile(latencies, 99).toFixed(2)),
    visibleP50Ms: percentile(visible, 50),
    visibleP90Ms: percentile(visible, 90),
    visibleP95Ms: percentile(visible, 95),
    visibleMaxMs: visible.at(-1),
    visibleSamples: visible.length,
    peakRssMb: Math.round(peakRss),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  await stopServer(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function mainIssues() {
  const { runIssueBenchmark } = await import('./issues.js');
  await runIssueBenchmark({
    issueCount: Number(values['issue-count']),
    eventCount: Number(values['event-count']),
    requests: Number(values.requests),
    warmup: 20,
    engines: values.engines.split(','),
    postgresUrl: values['postgres-url'],
    keep: values.keep,
    reuseSqlite: values['reuse-sqlite'],
    reusePostgres: values['reuse-postgres'],
  });
}

async function mainSourceMaps() {
  const { runSourceMapBenchmark } = await import('./sourcemaps.js');
  await runSourceMapBenchmark();
}

async function mainScrubbing() {
  const { runScrubbingBenchmark } = await import('./scrubbing.js');
  await runScrubbingBenchmark();
}

async function mainStorage() {
  const { runStorageBenchmark } = await import('./storage.js');
  await runStorageBenchmark({ count: Number(values['storage-events']), keep: values.keep });
}

async function mainIdleRss() {
  const { runIdleRssBenchmark } = await import('./idle-rss.js');
  await runIdleRssBenchmark();
}

async function mainPayloadCodec() {
  const { runPayloadCodecBenchmark } = await import('./payload-codec.js');
  await runPayloadCodecBenchmark();
}

async function mainAlertRules() {
  const script = fileURLToPath(new URL('./alert-rules.js', import.meta.url));
  const child = fork(script, [], { stdio: 'inherit' });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) {
    throw new Error(`bench/alert-rules.js exited with ${code}`);
  }
}

async function mainSplit() {
  const { runSplitBenchmark } = await import('./split.js');
  await runSplitBenchmark({
    postgresUrl: values['postgres-url'],
    queue: values.queue,
    workerCounts: values.workers.split(',').map(Number),
    ingests: Number(values.ingests),
    events: Number(values.events),
    durationS: Number(values.duration),
    rate: Number(values.rate),
    concurrency: Number(values.concurrency),
    warmupS: Number(values.warmup),
  });
}

let run = main;
if (values.issues) {
  run = mainIssues;
}
if (values.sourcemaps) {
  run = mainSourceMaps;
}
if (values.scrubbing) {
  run = mainScrubbing;
}

if (values.storage) {
  run = mainStorage;
}
if (values['idle-rss']) {
  run = mainIdleRss;
}
if (values.split) {
  run = mainSplit;
}
if (values['payload-codec']) {
  run = mainPayloadCodec;
}
if (values['alert-rules']) {
  run = mainAlertRules;
}

run().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack}\n`);
  process.exit(1);
});
