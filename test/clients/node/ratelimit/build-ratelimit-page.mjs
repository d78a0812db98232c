// Bundles the rate-limit test page (browser-ratelimit.js with @sentry/browser) into a static
// folder: <outdir>/index.html and <outdir>/browser-ratelimit.js.
//
// Usage: node build-ratelimit-page.mjs <outdir>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const outdir = process.argv[2];
if (!outdir) {
  console.error('Missing output folder: node build-ratelimit-page.mjs <outdir>');
  process.exit(2);
}

const sourceDir = path.dirname(fileURLToPath(import.meta.url));
fs.mkdirSync(outdir, { recursive: true });

await esbuild.build({
  entryPoints: [path.join(sourceDir, 'browser-ratelimit.js')],
  outfile: path.join(outdir, 'browser-ratelimit.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: false,
  sourcemap: false,
  logLevel: 'warning',
});
fs.copyFileSync(path.join(sourceDir, 'index.html'), path.join(outdir, 'index.html'));
