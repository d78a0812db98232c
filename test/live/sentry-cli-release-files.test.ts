/**
 * Runs the deprecated `releases files` commands of sentry-cli 2.58.6 (the version that
 * @sentry/esbuild-plugin 5.4.0 bundles) against Picket: single-file uploads with and without a
 * dist, the 409 of a repeated upload, list, delete and `upload-sourcemaps`, on an esbuild
 * bundle with its source map. Each result is checked through the release file API too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ArtifactBundle, ReleaseFile } from '../../src/shared/api/sourcemaps.js';
import {
  apiRequest,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { runSentryCliAt, type CliRun } from '../helpers/sentry-cli.js';
import { NODE_CLIENT_DIR } from './clients.js';

const SENTRY_CLI_2 = path.join(
  NODE_CLIENT_DIR,
  'node_modules/@sentry/esbuild-plugin/node_modules/@sentry/cli/bin/sentry-cli',
);
const VERSION = 'legacy-app@1.0.0';
const APP_SOURCE = `export function checkout(cart) {
  if (cart.items.length === 0) {
    throw new Error('Cart is empty');
  }
  return cart.items.length;
}
checkout({ items: [] });
`;

let picket: PicketInstance;
let project: TestProject;
let workDir: string;
let bundleDir: string;

function sentryCli(...args: string[]): Promise<CliRun> {
  return runSentryCliAt(SENTRY_CLI_2, picket, project, workDir, args);
}

async function listFiles(version = VERSION): Promise<ReleaseFile[]> {
  return (await apiRequest(
    picket,
    project.token,
    'GET',
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/releases/${encodeURIComponent(version)}/files/`,
  )) as ReleaseFile[];
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'legacy');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-cli2-'));
  bundleDir = path.join(workDir, 'dist');
  fs.writeFileSync(path.join(workDir, 'app.js'), APP_SOURCE);
  await esbuild.build({
    entryPoints: [path.join(workDir, 'app.js')],
    outfile: path.join(bundleDir, 'app.min.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    logLevel: 'silent',
  });
}, 60_000);

afterAll(async () => {
  await picket.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('sentry-cli 2 releases files', () => {
  it('releases new creates the release', async () => {
    const result = await sentryCli('releases', 'new', VERSION);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(VERSION);
  });

  it('upload stores single files', async () => {
    const minified = await sentryCli(
      'releases',
      'files',
      VERSION,
      'upload',
      path.join(bundleDir, 'app.min.js'),
      '~/static/app.min.js',
    );
    const map = await sentryCli(
      'releases',
      'files',
      VERSION,
      'upload',
      path.join(bundleDir, 'app.min.js.map'),
      '~/static/app.min.js.map',
      '--dist',
      'web',
    );
    const files = await listFiles();

    expect(minified.code, minified.stderr).toBe(0);
    expect(minified.stdout).toMatch(/^A [0-9a-f]{40} {2}\(\d+ bytes\)/);
    expect(map.code, map.stderr).toBe(0);
    expect(files.map((file) => [file.name, file.dist])).toEqual([
      ['~/static/app.min.js', null],
      ['~/static/app.min.js.map', 'web'],
    ]);
    expect(files[0]?.size).toBe(fs.statSync(path.join(bundleDir, 'app.min.js')).size);
  });

  it('upload of a present file fails', async () => {
    const result = await sentryCli(
      'releases',
      'files',
      VERSION,
      'upload',
      path.join(bundleDir, 'app.min.js'),
      '~/static/app.min.js',
    );

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('File already present');
  });

  it('list shows the files', async () => {
    const result = await sentryCli('releases', 'files', VERSION, 'list');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('~/static/app.min.js ');
    expect(result.stdout).toMatch(/~\/static\/app\.min\.js\.map +\| web/);
  });

  it('delete removes a file', async () => {
    const result = await sentryCli('releases', 'files', VERSION, 'delete', '~/static/app.min.js');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('D ~/static/app.min.js');
    expect((await listFiles()).map((file) => file.name)).toEqual(['~/static/app.min.js.map']);
  });

  it('upload-sourcemaps stores the bundle', async () => {
    const chunkUpload = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/chunk-upload/`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    const result = await sentryCli(
      'releases',
      'files',
      VERSION,
      'upload-sourcemaps',
      bundleDir,
      '--url-prefix',
      '~/assets',
      '--wait',
    );

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('~/assets/app.min.js (sourcemap at app.min.js.map)');
    if (chunkUpload.status === 404) {
      // Without chunk upload, sentry-cli 2 falls back to one request per file.
      expect(result.stdout).toContain('Upload type: single file/legacy upload');
      const files = await listFiles();
      expect(files.find((file) => file.name === '~/assets/app.min.js')?.headers).toMatchObject({
        Sourcemap: 'app.min.js.map',
      });
      expect(files.map((file) => file.name)).toContain('~/assets/app.min.js.map');
    } else {
      // With chunk upload, the files arrive as an artifact bundle of the release.
      const bundles = (await apiRequest(
        picket,
        project.token,
        'GET',
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/files/artifact-bundles/?query=${encodeURIComponent(VERSION)}`,
      )) as ArtifactBundle[];
      expect(bundles.map((bundle) => bundle.release)).toContain(VERSION);
    }
  });
});
