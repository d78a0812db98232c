/**
 * Starts Picket for the security tests with its route table recorded, and reads what the tests
 * check about the process: the registered routes, crash signs in its output, and its memory peak.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startPicket, type PicketInstance, type StartOptions } from '../../helpers/picket.js';

/** One route as the server's route table lists it. */
export interface Route {
  method: string;
  url: string;
}

export interface SecurityPicket extends PicketInstance {
  /** Routes the server registered, without the HEAD twins Fastify adds for GET routes. */
  routes: Route[];
  pid: number;
}

/** Starts the built server on SQLite with `PICKET_ROUTE_TABLE` set and reads the table back. */
export async function startSecurityPicket(options: StartOptions = {}): Promise<SecurityPicket> {
  const tableDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'picket-routes-'));
  const tableFile = path.join(tableDir, 'routes.json');
  const picket = await startPicket({
    ...options,
    env: { PICKET_ROUTE_TABLE: tableFile, ...options.env },
  });
  const all = JSON.parse(fs.readFileSync(tableFile, 'utf8')) as Route[];
  fs.rmSync(tableDir, { recursive: true, force: true });
  const pid = picket.process.pid;
  if (pid === undefined) {
    throw new Error('server process has no pid');
  }
  return { ...picket, routes: all.filter((route) => route.method !== 'HEAD'), pid };
}

/** Log lines that show a crash or an unhandled error in the server process. */
export function crashLines(picket: PicketInstance): string[] {
  return picket.logs.filter((line) =>
    /unhandled ?rejection|uncaught ?exception|FATAL ERROR|heap out of memory|"level":60|RangeError: Maximum call stack/i.test(
      line,
    ),
  );
}

/**
 * Log lines of requests that failed with a 5xx: the error handler logs each one as
 * `request failed`. Worker errors that it retries (a busy SQLite file) are not counted.
 */
export function serverErrorLines(picket: PicketInstance): string[] {
  return picket.logs.filter((line) => line.includes('"msg":"request failed"'));
}

/** Reads a field of `/proc/<pid>/status` in KiB, such as `VmHWM` (peak resident set). */
export function readProcStatusKib(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match?.[1] === undefined) {
    throw new Error(`/proc/${pid}/status has no ${field} line`);
  }
  return Number(match[1]);
}

/** Returns whether the process still runs. */
export function isAlive(picket: PicketInstance): boolean {
  return picket.process.exitCode === null && picket.process.signalCode === null;
}
