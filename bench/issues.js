// Issue benchmark: seeds a fresh database per engine (SQLite, then PostgreSQL) with one
// project's issues and events, starts Picket on it and measures the issue list and issue page
// requests with 1 and then 4 concurrent clients. Prints p50/p95/p99 per request kind.
// Usage: npm run bench -- --issues [--issue-count 10000 --event-count 1000000
//        --requests 200 --engines sqlite,postgres --keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { seedIssues } from './issues-seed.js';
import { cli, percentile, startServer, stopServer } from './picket-process.js';

const EMAIL = 'bench@example.com';
const ORG = 'bench';
const PROJECT = 'bench';

async function api(base, token, method, pathname, body) {
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/** Creates a PostgreSQL schema of its own and returns its name. */
async function createSchema(baseUrl) {
  const { default: pg } = await import('pg');
  const schema = `bench_issues_${Date.now()}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return { schema };
}

async function dropSchema(baseUrl, schema) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
}

/** Times one GET; throws on an error status so that a broken route cannot look fast. */
async function timedGet(base, token, pathname) {
  const started = process.hrtime.bigint();
  const response = await fetch(`${base}${pathname}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!response.ok) {
    throw new Error(`GET ${pathname}: ${response.status}`);
  }
  return ms;
}

/**
 * Runs `count` calls of `request(index)` from `concurrency` clients and returns the sorted
 * latencies in milliseconds.
 */
async function measure(request, count, concurrency) {
  const latencies = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        latencies.push(await request(index));
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

/** Returns `p50 / p95 / p99 / max ms` of sorted latencies. */
function summarize(latencies) {
  const points = [50, 95, 99].map((p) => percentile(latencies, p));
  return `${[...points, latencies.at(-1)].map((value) => value.toFixed(1)).join(' / ')} ms`;
}

/** Returns the path of each request kind: the issue list with four queries, and the issue page's requests. */
function requestKinds(issueIds) {
  const list = (query) => () =>
    `/api/0/organizations/${ORG}/issues/?${new URLSearchParams({ limit: '25', ...query })}`;
  const issue = (suffix) => (index) =>
    `/api/0/organizations/${ORG}/issues/${issueIds[index % issueIds.length]}/${suffix}`;
  return {
    'list is:unresolved sort=date': list({ query: 'is:unresolved', sort: 'date' }),
    'list is:unresolved level:error browser:Chrome': list({
      query: 'is:unresolved level:error browser:Chrome',
      sort: 'date',
    }),
    'list is:unresolved sort=freq': list({ query: 'is:unresolved', sort: 'freq' }),
    'list is:unresolved free text': list({ query: 'is:unresolved cannot read cart', sort: 'date' }),
    'issue detail': issue(''),
    'issue latest event': issue('events/latest/'),
    'issue tags': issue('tags/'),
    'issue events list': issue('events/'),
  };
}

/** The issue page as the UI loads it: detail, tags and latest event at once. */
const PAGE_PARTS = ['issue detail', 'issue tags', 'issue latest event'];

async function seedDatabase(engine, env, dataDir, options, log) {
  await cli(['createuser', '--email', EMAIL, '--password-stdin'], env, 'bench-password\n');
  const token = await createToken(env);
  const { server, url } = await startServer(env);
  await api(url, token, 'POST', '/api/0/organizations/', { name: 'Bench', slug: ORG });
  await api(url, token, 'POST', `/api/0/teams/${ORG}/${ORG}/projects/`, {
    name: 'Bench',
    slug: PROJECT,
  });
  await stopServer(server);

  log(`seeding ${options.issueCount} issues, ${options.eventCount} events`);
  const seed = await seedIssues(
    engine === 'postgres'
      ? { databaseUrl: env.DATABASE_URL }
      : { sqliteFile: path.join(dataDir, 'picket.sqlite') },
    {
      orgSlug: ORG,
      projectSlug: PROJECT,
      userEmail: EMAIL,
      issues: options.issueCount,
      events: options.eventCount,
      now: Date.now(),
      onProgress: (done, total) => {
        if (done % 200_000 === 0) {
          log(`${done} / ${total} events`);
        }
      },
    },
  );
  log(`seeded in ${seed.seconds} s`);
  return seed;
}

function createToken(env) {
  return cli(
    [
      'token',
      'create',
      '--user',
      EMAIL,
      '--scopes',
      'org:read,org:write,team:write,project:read,project:write,event:read',
    ],
    env,
  );
}

/**
 * Seeds a fresh database of `engine` and measures it. With `options.reuseSqlite` (a data folder)
 * or `options.reusePostgres` (a schema) it measures a database kept by an earlier run instead.
 * Pending migrations are applied first in both cases.
 */
async function benchmarkEngine(engine, options) {
  const reused = engine === 'postgres' ? options.reusePostgres : options.reuseSqlite;
  const dataDir =
    engine === 'sqlite' && reused !== undefined
      ? reused
      : fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-issues-'));
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PICKET_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  let schema;
  if (engine === 'postgres') {
    schema = reused === undefined ? await createSchema(options.postgresUrl) : { schema: reused };
    const url = new URL(options.postgresUrl);
    url.searchParams.set('options', `-c search_path=${schema.schema}`);
    env.DATABASE_URL = url.toString();
  }
  const log = (message) => process.stderr.write(`[${engine}] ${message}\n`);
  const keep = options.keep || reused !== undefined;

  try {
    await cli(['migrate'], env);
    const seed =
      reused === undefined
        ? await seedDatabase(engine, env, dataDir, options, log)
        : `reused ${reused}`;
    const token = await createToken(env);
    const { server, url } = await startServer(env);
    // A mix of large and small issues: the five largest, then issues of every size.
    const byCount = await api(
      url,
      token,
      'GET',
      `/api/0/organizations/${ORG}/issues/?query=&sort=freq&limit=100`,
    );
    const issueIds = [];
    for (let index = 0; index < byCount.length && issueIds.length < 5; index += 1) {
      issueIds.push(byCount[index].id);
    }
    const step = Math.max(1, Math.floor(options.issueCount / 16));
    for (let offset = step; offset < options.issueCount && issueIds.length < 20; offset += step) {
      const [row] = await api(
        url,
        token,
        'GET',
        `/api/0/organizations/${ORG}/issues/?query=&sort=freq&limit=1&cursor=0:${offset}:0`,
      );
      if (row !== undefined) {
        issueIds.push(row.id);
      }
    }
    const kinds = requestKinds(issueIds);

    const results = { seed, issueIds, latencies: 'p50 / p95 / p99 / max', runs: {} };
    for (const [kind, pathFor] of Object.entries(kinds)) {
      await measure((index) => timedGet(url, token, pathFor(index)), options.warmup, 1);
      log(`warmed up ${kind}`);
    }
    for (const concurrency of [1, 4]) {
      const run = {};
      for (const [kind, pathFor] of Object.entries(kinds)) {
        run[kind] = summarize(
          await measure(
            (index) => timedGet(url, token, pathFor(index)),
            options.requests,
            concurrency,
          ),
        );
      }
      run['issue page (detail + tags + latest event)'] = summarize(
        await measure(
          async (index) => {
            const started = process.hrtime.bigint();
            await Promise.all(PAGE_PARTS.map((kind) => timedGet(url, token, kinds[kind](index))));
            return Number(process.hrtime.bigint() - started) / 1e6;
          },
          options.requests,
          concurrency,
        ),
      );
      results.runs[`concurrency ${concurrency}`] = run;
      log(`measured with concurrency ${concurrency}`);
    }
    await stopServer(server);
    return results;
  } finally {
    if (keep) {
      log(`kept ${dataDir}${schema === undefined ? '' : ` and schema ${schema.schema}`}`);
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema !== undefined) {
        await dropSchema(options.postgresUrl, schema.schema);
      }
    }
  }
}

/** Runs the issue benchmark for each engine in `options.engines` and prints JSON results. */
export async function runIssueBenchmark(options) {
  const cpu = fs
    .readFileSync('/proc/cpuinfo', 'utf8')
    .match(/model name\s*:\s*(.*)/)?.[1]
    ?.trim();
  const result = {
    machine: `${os.cpus().length} cores, ${cpu ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    requestsPerKind: options.requests,
    warmupPerKind: options.warmup,
    engines: {},
  };
  for (const engine of options.engines) {
    result.engines[engine] = await benchmarkEngine(engine, options);
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
