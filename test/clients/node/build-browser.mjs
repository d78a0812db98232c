// Bundles the browser test page (browser/app.js with @sentry/browser) into a static folder:
// <outdir>/index.html and <outdir>/app.js. The bundle is not minified, so stack frames keep
// the page's function names.
//
// Usage: node build-browser.mjs <outdir>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const outdir = process.argv[2];
if (!outdir) {
  console.error('Missing output folder: node build-browser.mjs <outdir>');
  process.exit(2);
}

const sourceDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser');
fs.mkdirSync(outdir, { recursive: true });

await esbuild.build({
  entryPoints: [path.join(sourceDir, 'app.js')],
  outfile: path.join(outdir, 'app.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: false,
  sourcemap: false,
  logLevel: 'warning',
});
fs.copyFileSync(path.join(sourceDir, 'index.html'), path.join(outdir, 'index.html'));
