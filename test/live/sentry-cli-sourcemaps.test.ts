/**
 * Uploads source maps with the real sentry-cli against Picket: a small app minified by esbuild
 * with a source map, `sourcemaps inject`, `sourcemaps upload --wait`, `releases finalize` and
 * `deploys new` with sentry-cli 3.8.0, and `sourcemaps upload` with the sentry-cli 2.58.6 that
 * the esbuild plugin ships. Each run must exit 0 and leave the files, with their debug IDs,
 * URLs and types, in the database and the blob store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalBlobStore } from '../../src/server/platform/blobs/index.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { runSentryCliAt, type CliRun } from '../helpers/sentry-cli.js';
import { NODE_CLIENT_DIR } from './clients.js';

const SENTRY_CLI_3 = path.join(NODE_CLIENT_DIR, 'node_modules/@sentry/cli/bin/sentry-cli');
const SENTRY_CLI_2 = path.join(
  NODE_CLIENT_DIR,
  'node_modules/@sentry/esbuild-plugin/node_modules/@sentry/cli/bin/sentry-cli',
);

const APP_SOURCE = `export function priceCart(items) {
  return items.reduce((sum, item) => sum + item.price, 0);
}

export function loadCart(label) {
  const total = priceCart([{ price: 3 }, { price: 4 }]);
  if (total > 5) {
    throw new RangeError(label + ': cart too expensive');
  }
  return total;
}

loadCart('LABEL');
`;

let picket: PicketInstance;
let project: TestProject;
let workDir: string;
let db: Db;
let blobs: LocalBlobStore;

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'maps');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-sourcemaps-'));
  db = connectDb({ databaseUrl: undefined, dataDir: picket.dataDir });
  blobs = new LocalBlobStore(path.join(picket.dataDir, 'blobs'));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await picket?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

function sentryCli(executable: string, ...args: string[]): Promise<CliRun> {
  return runSentryCliAt(executable, picket, project, workDir, args);
}

/** Builds the app, minified with a source map, into `<name>/app.min.js` and returns the folder. */
async function buildApp(name: string, label: string): Promise<string> {
  const sourceDir = path.join(workDir, `${name}-src`);
  const outDir = path.join(workDir, name);
  fs.mkdirSync(sourceDir, { recursive: true });
  fs.writeFileSync(path.join(sourceDir, 'app.js'), APP_SOURCE.replace('LABEL', label));
  await esbuild.build({
    entryPoints: [path.join(sourceDir, 'app.js')],
    outfile: path.join(outDir, 'app.min.js'),
    bundle: true,
    format: 'iife',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  return outDir;
}

function injectedDebugId(outDir: string): string {
  const code = fs.readFileSync(path.join(outDir, 'app.min.js'), 'utf8');
  const match = /\/\/# debugId=([0-9a-f-]{36})/.exec(code);
  if (match?.[1] === undefined) {
    throw new Error(`no debugId comment in ${outDir}/app.min.js`);
  }
  return match[1];
}

async function storedFiles(release: string) {
  return db.kysely
    .selectFrom('artifactFiles')
    .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
    .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
    .select([
      'artifactFiles.url',
      'artifactFiles.fileType',
      'artifactFiles.debugId',
      'artifactFiles.headers',
      'artifactFiles.blobKey',
      'artifactBundles.dist',
      'artifactBundleProjects.projectId',
    ])
    .where('artifactBundles.release', '=', release)
    .orderBy('artifactFiles.url')
    .execute();
}

async function readBlob(key: string): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of await blobs.open(key)) {
    pieces.push(piece as Buffer);
  }
  return Buffer.concat(pieces).toString('utf8');
}

describe('sentry-cli 3.8.0 source maps', () => {
  const release = 'maps-app@1.0.0';
  let outDir: string;

  it('creates the release and injects debug IDs', async () => {
    outDir = await buildApp('dist3', 'three');
    const created = await sentryCli(SENTRY_CLI_3, 'releases', 'new', release);
    expect(created.code, created.stderr).toBe(0);
    const injected = await sentryCli(SENTRY_CLI_3, 'sourcemaps', 'inject', outDir);
    expect(injected.code, injected.stderr).toBe(0);
    expect(injectedDebugId(outDir)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uploads and waits for processing', async () => {
    const upload = await sentryCli(
      SENTRY_CLI_3,
      'sourcemaps',
      'upload',
      '--release',
      release,
      '--url-prefix',
      '~/assets',
      '--wait',
      outDir,
    );
    expect(upload.code, upload.stderr).toBe(0);
    expect(upload.stdout).toContain('File processing complete');
  });

  it('stores both files with the debug ID', async () => {
    const debugId = injectedDebugId(outDir);
    const files = await storedFiles(release);
    expect(files.map(({ blobKey: _key, headers: _headers, ...file }) => file)).toEqual([
      {
        url: '~/assets/app.min.js',
        fileType: 'minified_source',
        debugId,
        dist: null,
        projectId: project.projectId,
      },
      {
        url: '~/assets/app.min.js.map',
        fileType: 'source_map',
        debugId,
        dist: null,
        projectId: project.projectId,
      },
    ]);
    expect(JSON.parse(files[0]!.headers)).toMatchObject({ sourcemap: 'app.min.js.map' });
  });

  it('stores the content sentry-cli uploaded', async () => {
    const files = await storedFiles(release);
    const map = JSON.parse(await readBlob(files[1]!.blobKey)) as {
      sources: string[];
      sourcesContent: string[];
      debugId: string;
    };
    expect(map.debugId).toBe(injectedDebugId(outDir));
    expect(map.sourcesContent.join('')).toContain("loadCart('three')");
    expect(await readBlob(files[0]!.blobKey)).toContain(`//# debugId=${injectedDebugId(outDir)}`);
  });

  it('finalizes the release and records a deploy', async () => {
    const finalized = await sentryCli(SENTRY_CLI_3, 'releases', 'finalize', release);
    expect(finalized.code, finalized.stderr).toBe(0);
    const deploy = await sentryCli(
      SENTRY_CLI_3,
      'deploys',
      'new',
      '--release',
      release,
      '-e',
      'production',
    );
    expect(deploy.code, deploy.stderr).toBe(0);
  });

  it('uploads the same files again without a second copy', async () => {
    const again = await sentryCli(
      SENTRY_CLI_3,
      'sourcemaps',
      'upload',
      '--release',
      release,
      '--url-prefix',
      '~/assets',
      '--wait',
      outDir,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(await storedFiles(release)).toHaveLength(2);
  });
});

describe('sentry-cli 2.58.6 source maps', () => {
  const release = 'maps-app@2.0.0';

  it('uploads an artifact bundle with a dist', async () => {
    const outDir = await buildApp('dist2', 'two');
    expect((await sentryCli(SENTRY_CLI_2, 'releases', 'new', release)).code).toBe(0);
    const injected = await sentryCli(SENTRY_CLI_2, 'sourcemaps', 'inject', outDir);
    expect(injected.code, injected.stderr).toBe(0);

    const upload = await sentryCli(
      SENTRY_CLI_2,
      'sourcemaps',
      'upload',
      '--release',
      release,
      '--dist',
      'web',
      '--url-prefix',
      '~/static',
      '--wait',
      outDir,
    );
    expect(upload.code, upload.stderr).toBe(0);

    const debugId = injectedDebugId(outDir);
    const files = await storedFiles(release);
    expect(files.map((file) => [file.url, file.fileType, file.debugId, file.dist])).toEqual([
      ['~/static/app.min.js', 'minified_source', debugId, 'web'],
      ['~/static/app.min.js.map', 'source_map', debugId, 'web'],
    ]);
  });
});
