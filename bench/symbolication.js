// Benchmark of the worker's symbolication step alone: batches of 500 normalized events run
// through symbolicateEvents inside a transaction, as the worker runs them, on the built code.
// Prints the median and p95 time per batch and the events per second for three kinds of
// events: browser events mapped by debug ID (warm cache, plus the first, cold batch), Node
// events with a release but no uploads, and Python events, which symbolication skips.
// Usage: npm run build:server && node bench/symbolication.js [--engines sqlite,postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import vm from 'node:vm';

import * as esbuild from 'esbuild';

import { OrganizationRepository } from '../dist/server/features/organizations/index.js';
import { normalizeEvent } from '../dist/server/features/processing/normalize.js';
import { symbolicateEvents } from '../dist/server/features/sourcemaps/symbolicate.js';
import { createBlobKey, openBlobStore } from '../dist/server/platform/blobs/index.js';
import { connectDb, migrateToLatest } from '../dist/server/platform/db/index.js';
import { createLogger } from '../dist/server/platform/logger.js';
import { percentile } from './picket-process.js';

const { values } = parseArgs({
  options: {
    engines: { type: 'string', default: 'sqlite,postgres' },
    batches: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '500' },
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const BATCHES = Number(values.batches);
const BATCH_SIZE = Number(values['batch-size']);
const URL_PREFIX = 'https://cdn.example.com/assets';
const log = createLogger('silent');

const APP = `
function loadCart(id) { return priceCart({ id, items: [] }); }
function priceCart(cart) { return sumItems(cart.items); }
function sumItems(items) {
  if (!items.length) { throw new RangeError('cart is empty'); }
  return items.length;
}
globalThis.runApp = () => loadCart('c-1');
`;

async function buildBundle(debugId) {
  const result = await esbuild.build({
    stdin: { contents: APP, sourcefile: 'src/app.js' },
    bundle: true,
    minify: true,
    sourcemap: 'external',
    outfile: 'app.min.js',
    write: false,
    logLevel: 'silent',
  });
  const code = `${result.outputFiles.find((file) => file.path.endsWith('.js')).text}//# debugId=${debugId}\n`;
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map')).text);
  return { code, map: JSON.stringify({ ...map, debugId }) };
}

function throwFrames(code, url) {
  const context = vm.createContext({});
  new vm.Script(code, { filename: url }).runInContext(context);
  try {
    context.runApp();
  } catch (error) {
    return error.stack
      .split('\n')
      .map((line) => /^\s+at (?:(.+?) \()?(.+):(\d+):(\d+)\)?$/.exec(line))
      .filter((match) => match?.[2] === url)
      .map((match) => ({ filename: url, function: match[1], lineno: +match[3], colno: +match[4] }))
      .reverse();
  }
  throw new Error('the bundle did not throw');
}

async function openEngine(engine) {
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-symbench-'));
    return {
      db: connectDb({ databaseUrl: undefined, dataDir }),
      dataDir,
      cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const { default: pg } = await import('pg');
  const schema = `symbench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: values['postgres-url'] });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(values['postgres-url']);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-symbench-'));
  return {
    db: connectDb({ databaseUrl: url.toString(), dataDir }),
    dataDir,
    cleanup: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function seed(db, blobs, bundles) {
  await migrateToLatest(db.kysely, db.dialect);
  const user = await db.kysely
    .insertInto('users')
    .values({
      email: 'bench@example.com',
      name: 'Bench',
      passwordHash: 'x',
      isSuperuser: 0,
      createdAt: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organizations = new OrganizationRepository(db.kysely);
  const organization = await organizations.createOrganization({
    slug: 'bench',
    name: 'Bench',
    ownerId: user.id,
  });
  const team = await organizations.findTeam(organization.id, 'bench');
  const project = await organizations.createProject({
    organizationId: organization.id,
    teamId: team.id,
    slug: 'web',
    name: 'web',
    platform: 'javascript',
  });

  for (const [index, bundle] of bundles.entries()) {
    const row = await db.kysely
      .insertInto('artifactBundles')
      .values({
        organizationId: organization.id,
        bundleId: bundle.debugId,
        checksum: String(index).padStart(40, '0'),
        release: null,
        dist: null,
        fileCount: 2,
        size: bundle.code.length + bundle.map.length,
        dateCreated: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('artifactBundleProjects')
      .values({ bundleId: row.id, projectId: project.id })
      .execute();
    for (const [type, name, content] of [
      ['minified_source', `~/assets/app${index}.min.js`, bundle.code],
      ['source_map', `~/assets/app${index}.min.js.map`, bundle.map],
    ]) {
      const blobKey = createBlobKey('artifacts');
      const info = await blobs.put(blobKey, Buffer.from(content));
      await db.kysely
        .insertInto('artifactFiles')
        .values({
          organizationId: organization.id,
          bundleId: row.id,
          releaseId: null,
          dist: '',
          name,
          url: name,
          fileType: type,
          debugId: bundle.debugId,
          headers: JSON.stringify({ 'debug-id': bundle.debugId }),
          blobKey,
          size: info.size,
          sha1: info.sha1,
          dateCreated: Date.now(),
        })
        .execute();
    }
  }
  return project.id;
}

function browserEvent(bundles, index) {
  const bundle = bundles[index % bundles.length];
  const url = `${URL_PREFIX}/app${index % bundles.length}.min.js`;
  return {
    platform: 'javascript',
    debug_meta: { images: [{ type: 'sourcemap', code_file: url, debug_id: bundle.debugId }] },
    exception: {
      values: [
        { type: 'RangeError', value: 'cart is empty', stacktrace: { frames: bundle.frames } },
      ],
    },
  };
}

function nodeEvent(index) {
  const frames = Array.from({ length: 12 }, (_, depth) => {
    const file =
      depth >= 6 ? `/srv/app/src/module${(index + depth) % 10}.js` : `node:internal/module${depth}`;
    return {
      filename: file,
      function: `handler${depth}`,
      lineno: 10 + depth,
      colno: 5,
      in_app: depth >= 6,
    };
  });
  return {
    platform: 'node',
    release: 'bench@1.0.0',
    exception: { values: [{ type: 'Error', value: 'failed', stacktrace: { frames } }] },
  };
}

function pythonEvent() {
  const frames = Array.from({ length: 12 }, (_, depth) => ({
    filename: `app/module${depth}.py`,
    function: `f${depth}`,
    lineno: depth + 1,
  }));
  return {
    platform: 'python',
    exception: { values: [{ type: 'ValueError', value: 'bad', stacktrace: { frames } }] },
  };
}

function normalizedBatch(build) {
  return Array.from({ length: BATCH_SIZE }, (_, index) => {
    const eventId = crypto.randomUUID().replaceAll('-', '');
    const raw = { event_id: eventId, timestamp: Date.now() / 1000, ...build(index) };
    return normalizeEvent(raw, {
      eventId,
      receivedAt: Date.now(),
      sentAt: undefined,
      clientIp: undefined,
      client: undefined,
    });
  });
}

async function runBatches(db, blobs, projectId, build, batches) {
  const times = [];
  for (let batch = 0; batch < batches; batch += 1) {
    const events = normalizedBatch(build).map((event) => ({ projectId, event }));
    const started = process.hrtime.bigint();
    await db.kysely
      .transaction()
      .execute((trx) => symbolicateEvents(events, { db: trx, dialect: db.dialect, blobs, log }));
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

function report(engine, name, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  console.log(
    `${engine.padEnd(8)} ${name.padEnd(26)} median ${median.toFixed(1).padStart(6)} ms/batch  p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms  ${Math.round((BATCH_SIZE / median) * 1000)} events/s`,
  );
}

const bundles = [];
for (let index = 0; index < 10; index += 1) {
  const debugId = crypto.randomUUID();
  const built = await buildBundle(debugId);
  bundles.push({
    debugId,
    ...built,
    frames: throwFrames(built.code, `${URL_PREFIX}/app${index}.min.js`),
  });
}

for (const engine of values.engines.split(',')) {
  const { db, dataDir, cleanup } = await openEngine(engine);
  try {
    const blobs = openBlobStore(dataDir);
    const projectId = await seed(db, blobs, bundles);
    const browser = (index) => browserEvent(bundles, index);
    report(engine, 'browser, cold cache', await runBatches(db, blobs, projectId, browser, 1));
    report(engine, 'browser, mapped', await runBatches(db, blobs, projectId, browser, BATCHES));
    report(engine, 'node, no uploads', await runBatches(db, blobs, projectId, nodeEvent, BATCHES));
    report(engine, 'python, skipped', await runBatches(db, blobs, projectId, pythonEvent, BATCHES));
  } finally {
    await db.close();
    await cleanup();
  }
}
