#!/usr/bin/env node
// Entry point of the `picket` command; the TypeScript build writes dist/ (npm ci runs it).
import('../dist/server/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('picket: the build is missing; run "npm run build" first\n');
    process.exit(1);
  }
  throw error;
});
