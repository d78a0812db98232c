// Idle memory benchmark: starts `picket serve` (embedded mode, fresh data folder), waits until
// start-up and the first scheduled jobs are over, then reads the resident size of the process
// (all threads) a few times.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, stopServer } from './picket-process.js';

const IDLE_WAIT_MS = 25_000;
const READINGS = 5;
const READING_INTERVAL_MS = 2_000;

function readStatus(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: field('VmRSS'), anonMb: field('RssAnon'), fileMb: field('RssFile') };
}

/** Prints the resident size of an idle embedded server, in MB, as JSON. */
export async function runIdleRssBenchmark() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-rss-'));
  const env = { ...process.env, PORT: '0', PICKET_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;

  const { server } = await startServer(env);
  await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
  const readings = [];
  for (let index = 0; index < READINGS; index += 1) {
    readings.push(readStatus(server.pid));
    await new Promise((resolve) => setTimeout(resolve, READING_INTERVAL_MS));
  }
  await stopServer(server);
  fs.rmSync(dataDir, { recursive: true, force: true });

  const rss = readings.map((reading) => Math.round(reading.rssMb));
  const last = readings.at(-1);
  const result = {
    machine: `${os.cpus().length} cores, Node ${process.version}`,
    idleAfterS: IDLE_WAIT_MS / 1000,
    rssMb: rss,
    anonymousMb: Math.round(last?.anonMb ?? 0),
    fileBackedMb: Math.round(last?.fileMb ?? 0),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
