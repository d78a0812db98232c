// Builds the source-map test app (symbolication/app.js with @sentry/browser) with esbuild and
// @sentry/esbuild-plugin into <workdir>/<name>/: app.min.js, app.min.js.map and index.html.
// The source is copied to <workdir>/src/ first, so the map names it `../src/app.js`.
//
// Usage: node build-symbolication-app.mjs <workdir> <name> <release> [--upload]
//
// The plugin always injects the release and debug IDs. With --upload it also creates the
// release and uploads the bundle and its map with its own sentry-cli, to the server named by
// SENTRY_URL, SENTRY_AUTH_TOKEN, SENTRY_ORG and SENTRY_PROJECT. Telemetry is off.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sentryEsbuildPlugin } from '@sentry/esbuild-plugin';
import * as esbuild from 'esbuild';

const [workDir, name, release, uploadFlag] = process.argv.slice(2);
if (!workDir || !name || !release) {
  console.error('Usage: node build-symbolication-app.mjs <workdir> <name> <release> [--upload]');
  process.exit(2);
}
const upload = uploadFlag === '--upload';

const clientDir = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.join(workDir, 'src');
const outdir = path.join(workDir, name);
fs.mkdirSync(sourceDir, { recursive: true });
fs.copyFileSync(path.join(clientDir, 'symbolication', 'app.js'), path.join(sourceDir, 'app.js'));
fs.rmSync(outdir, { recursive: true, force: true });
fs.mkdirSync(outdir, { recursive: true });

const plugin = sentryEsbuildPlugin({
  telemetry: false,
  url: process.env.SENTRY_URL,
  org: process.env.SENTRY_ORG,
  project: process.env.SENTRY_PROJECT,
  authToken: upload ? process.env.SENTRY_AUTH_TOKEN : undefined,
  release: { name: release, inject: true, create: upload, finalize: upload, setCommits: false },
  sourcemaps: upload ? { assets: [`${outdir}/**`] } : { disable: 'disable-upload' },
});

await esbuild.build({
  entryPoints: { 'app.min': path.join(sourceDir, 'app.js') },
  outdir,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: 'es2020',
  nodePaths: [path.join(clientDir, 'node_modules')],
  plugins: [plugin],
  logLevel: 'error',
});
fs.copyFileSync(
  path.join(clientDir, 'symbolication', 'index.html'),
  path.join(outdir, 'index.html'),
);
