// Runs the built Picket for the benchmarks: its command line and its server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Returns the value at percentile `p` of an ascending array. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `picket ARGS` with `env`, writes `input` to its stdin and resolves with its stdout. */
export function cli(args, env, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/picket.js'), ...args], { env });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`picket ${args[0]} exited ${code}`)),
    );
    child.stdin.end(input);
  });
}

/**
 * Starts `picket serve` with `env` and resolves with the process and its URL once it listens.
 * `serveArgs` are added after `serve` (for example `['--role', 'worker']`).
 * BENCH_SERVER_NODE_ARGS adds Node.js options (for example `--cpu-prof`).
 */
export async function startServer(env, serveArgs = []) {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(
    process.execPath,
    [...nodeArgs, path.join(ROOT, 'bin/picket.js'), 'serve', ...serveArgs],
    { env },
  );
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = /"url":"([^"]+)".*"msg":"server listening"/.exec(buffer);
      if (match) {
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { server, url };
}

/** Stops a server started by `startServer` and waits for it to exit. */
export async function stopServer(server) {
  if (server.exitCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}
