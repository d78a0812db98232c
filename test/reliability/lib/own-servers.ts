/**
 * PostgreSQL and Redis servers that a fault test starts for itself, on free ports and in
 * temporary folders, so that it can stop and restart them without touching the machine's
 * shared servers. Every server is stopped by its process id.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { waitFor } from '../../helpers/picket.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when a TCP connection to the port succeeds. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: the process is gone.
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => Promise.resolve(isAlive(pid) ? undefined : true), timeoutMs);
}

/** A PostgreSQL cluster of the test's own, run as the `postgres` user with trust auth. */
export interface OwnPostgres {
  /** URL of the `postgres` database as the `postgres` user. */
  url: string;
  port: number;
  /** Process id of the postmaster while it runs. */
  pid(): number | undefined;
  /** Crashes the cluster (`pg_ctl stop -m immediate`): no checkpoint, recovery on start. */
  stopImmediately(): Promise<void>;
  start(): Promise<void>;
  /** Stops the postmaster by its process id and removes the folder. */
  destroy(): Promise<void>;
}

function runAsPostgres(args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Creates a cluster with `initdb` in a temporary folder and starts it on a free port. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-reliability-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  fs.chownSync(folder, uid, gid);
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'postgres.log');
  const port = await findFreePort();

  runAsPostgres([
    `${PG_BIN}/initdb`,
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '--no-instructions',
  ]);

  const readPid = (): number | undefined => {
    try {
      const first = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
      const pid = Number(first);
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      // ENOENT: the cluster is not running.
      return undefined;
    }
  };

  const start = async () => {
    runAsPostgres([
      `${PG_BIN}/pg_ctl`,
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      '-w',
      '-t',
      '120',
      'start',
    ]);
    await waitFor(async () => ((await canConnect(port)) ? true : undefined), 60_000);
  };

  const stopImmediately = async () => {
    const pid = readPid();
    runAsPostgres([`${PG_BIN}/pg_ctl`, '-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    if (pid !== undefined) {
      await waitForExit(pid, 30_000);
    }
  };

  const destroy = async () => {
    const pid = readPid();
    if (pid !== undefined) {
      // SIGQUIT is PostgreSQL's immediate shutdown; the data is thrown away anyway.
      process.kill(pid, 'SIGQUIT');
      await waitForExit(pid, 30_000).catch(() => process.kill(pid, 'SIGKILL'));
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: readPid,
    stopImmediately,
    start,
    destroy,
  };
}

/** A redis-server of the test's own with an append-only file synced on every write. */
export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server with SIGKILL; the append-only file stays for the next start. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Kills the server by its process id and removes the folder. */
  destroy(): Promise<void>;
}

/** Starts redis-server on a free port with `--appendonly yes --appendfsync always`. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-reliability-redis-'));
  const port = await findFreePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--dir',
        folder,
      ],
      { stdio: 'ignore' },
    );
    child = started;
    await waitFor(async () => {
      if (started.exitCode !== null) {
        throw new Error(`redis-server exited with ${started.exitCode}`);
      }
      return (await canConnect(port)) ? true : undefined;
    }, 30_000);
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (running?.pid === undefined || running.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid, 'SIGKILL');
    await exited;
  };

  const destroy = async () => {
    await kill();
    fs.rmSync(folder, { recursive: true, force: true });
  };

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, start, destroy };
}
