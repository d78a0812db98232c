#!/usr/bin/env node
// Entry point of the `picket` command; the TypeScript build writes dist/ (npm ci runs it).
import { setFlagsFromString } from 'node:v8';

// A smaller young generation keeps the resident size of the server within budget. V8 reads the
// maximum semi-space size only when an isolate is created, so the first flag applies to the
// worker threads but not to this main thread, whose heap already exists. The growth factor is
// read each time the young generation grows, so with 1 the main thread's stays at its initial
// size (20 to 30 MB less resident memory when idle, measured with Node.js 20.20).
setFlagsFromString('--max-semi-space-size=2');
setFlagsFromString('--semi-space-growth-factor=1');

import('../dist/server/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('picket: the build is missing; run "npm run build" first\n');
    process.exit(1);
  }
  throw error;
});
