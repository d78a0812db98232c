#!/usr/bin/env node
// Entry point of the `picket` command; the TypeScript build writes dist/ (npm ci runs it).
import { setFlagsFromString } from 'node:v8';

// A smaller young generation keeps the resident size of the server within budget. The flag is
// set before the heap grows, so it applies to the main thread and the worker threads.
setFlagsFromString('--max-semi-space-size=2');

import('../dist/server/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('picket: the build is missing; run "npm run build" first\n');
    process.exit(1);
  }
  throw error;
});
