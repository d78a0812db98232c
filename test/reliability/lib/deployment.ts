/**
 * A Picket deployment made of real processes started from `bin/picket.js`: one process in the
 * embedded mode, or ingest, worker and web processes that share PostgreSQL (and Redis) in the
 * split modes. Each process keeps its port across restarts, so that clients reconnect to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PicketInstance } from '../../helpers/picket.js';
import { findFreePort } from './own-servers.js';

const BIN = fileURLToPath(new URL('../../../bin/picket.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEPT_LOG_LINES = 300;
const START_TIMEOUT_MS = 90_000;

/**
 * `embedded`: SQLite and the queue file in one data folder, one process.
 * `split-pg`: PostgreSQL storage and the `ingest_queue` table, one process per role.
 * `split-redis`: as `split-pg` plus `REDIS_URL`, which moves the queue to Redis Streams.
 */
export type DeploymentMode = 'embedded' | 'split-pg' | 'split-redis';

export type ProcessRole = 'all' | 'ingest' | 'worker' | 'web';

export interface DeploymentOptions {
  mode: DeploymentMode;
  /** PostgreSQL URL (with its `search_path`) for the split modes. */
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  /** `s3://bucket/prefix` for the blob store, with `AWS_*` variables in `env`. */
  blobUrl?: string;
  /** Data folder; a temporary one, removed at the end, when undefined. */
  dataDir?: string;
  ingestCount?: number;
  workerCount?: number;
  /** Extra environment of every process. */
  env?: Record<string, string>;
}

/** One Picket process, restartable on the same port. */
export class PicketProcess {
  readonly role: ProcessRole;
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;
  /** The last log lines, for failure messages. */
  readonly logs: string[] = [];
  #child: ChildProcess | undefined;
  /** How many times the process was killed with SIGKILL. */
  kills = 0;
  /** Exits that neither `kill` nor `stop` caused, with the last log lines before each. */
  readonly crashes: string[] = [];
  #expectingExit = false;

  constructor(role: ProcessRole, name: string, port: number, env: NodeJS.ProcessEnv) {
    this.role = role;
    this.name = name;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.env = { ...env, PORT: String(port) };
  }

  get child(): ChildProcess | undefined {
    return this.#child;
  }

  get isRunning(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null;
  }

  /** Starts the process and resolves once it logs `server listening`. */
  async start(): Promise<void> {
    const args = this.role === 'all' ? ['serve'] : ['serve', '--role', this.role];
    const child = spawn(process.execPath, [BIN, ...args], { env: this.env, cwd: ROOT });
    this.#child = child;
    this.#expectingExit = false;
    child.once('exit', (code, signal) => {
      if (!this.#expectingExit) {
        const crash = `${this.name} exited (${code ?? signal}):\n${this.logs.slice(-20).join('\n')}`;
        this.crashes.push(crash);
        console.log(`reliability: unexpected exit of ${crash}`);
      }
    });
    let buffered = '';

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.name} did not start:\n${this.logs.join('\n')}`));
      }, START_TIMEOUT_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          this.#keep(line);
          if (line.includes('"msg":"server listening"')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.#keep(chunk.toString()));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}):\n${this.logs.join('\n')}`));
      });
    });
  }

  /** Kills the process with SIGKILL by its process id and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.#expectingExit = true;
    process.kill(child.pid, 'SIGKILL');
    await exited;
    this.kills += 1;
  }

  /** Stops the process with SIGTERM, then SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.#expectingExit = true;
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** Returns the log lines that contain `text`. */
  findLogs(text: string): string[] {
    return this.logs.filter((line) => line.includes(text));
  }

  #keep(line: string): void {
    this.logs.push(line);
    if (this.logs.length > KEPT_LOG_LINES) {
      this.logs.splice(0, this.logs.length - KEPT_LOG_LINES);
    }
  }
}

/** A running deployment: its processes, its data folder and how to reach its database. */
export class Deployment {
  readonly mode: DeploymentMode;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly redisPrefix: string | undefined;
  readonly ingest: PicketProcess[];
  readonly workers: PicketProcess[];
  /** The process that serves the web API: the only process in the embedded mode. */
  readonly web: PicketProcess;
  readonly #ownsDataDir: boolean;

  private constructor(
    options: DeploymentOptions,
    dataDir: string,
    processes: { ingest: PicketProcess[]; workers: PicketProcess[]; web: PicketProcess },
  ) {
    this.mode = options.mode;
    this.dataDir = dataDir;
    this.databaseUrl = options.databaseUrl;
    this.redisUrl = options.redisUrl;
    this.redisPrefix = options.redisPrefix;
    this.ingest = processes.ingest;
    this.workers = processes.workers;
    this.web = processes.web;
    this.#ownsDataDir = options.dataDir === undefined;
  }

  /** Starts the processes of the mode: the web (or only) process first, which migrates. */
  static async start(options: DeploymentOptions): Promise<Deployment> {
    const dataDir =
      options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'picket-reliability-'));
    const env = buildEnv(options, dataDir);

    if (options.mode === 'embedded') {
      const only = new PicketProcess('all', 'picket', await findFreePort(), env);
      const deployment = new Deployment(options, dataDir, {
        ingest: [only],
        workers: [only],
        web: only,
      });
      await only.start();
      return deployment;
    }

    const web = new PicketProcess('web', 'web', await findFreePort(), env);
    const ingest: PicketProcess[] = [];
    for (let index = 0; index < (options.ingestCount ?? 2); index += 1) {
      ingest.push(new PicketProcess('ingest', `ingest-${index + 1}`, await findFreePort(), env));
    }
    const workers: PicketProcess[] = [];
    for (let index = 0; index < (options.workerCount ?? 2); index += 1) {
      workers.push(new PicketProcess('worker', `worker-${index + 1}`, await findFreePort(), env));
    }

    const deployment = new Deployment(options, dataDir, { ingest, workers, web });
    await web.start();
    await Promise.all([...ingest, ...workers].map((process) => process.start()));
    return deployment;
  }

  /** Exits of any process that the test did not cause. */
  get crashes(): string[] {
    return this.processes.flatMap((process) => process.crashes);
  }

  /** Every distinct process of the deployment. */
  get processes(): PicketProcess[] {
    return [...new Set([this.web, ...this.ingest, ...this.workers])];
  }

  /** The processes a kill scenario may kill: ingest and worker processes. */
  get killable(): PicketProcess[] {
    return [...new Set([...this.ingest, ...this.workers])];
  }

  /** The web process as the test helpers' `PicketInstance`, for `setupProject`. */
  asInstance(): PicketInstance {
    const web = this.web;
    return {
      url: web.url,
      dataDir: this.dataDir,
      env: web.env,
      logs: web.logs,
      get process() {
        const child = web.child;
        if (child === undefined) {
          throw new Error('the web process is not running');
        }
        return child;
      },
      stop: () => web.stop(),
    };
  }

  /** Stops every process and removes the data folder when the deployment created it. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop()));
    if (this.#ownsDataDir) {
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

function buildEnv(options: DeploymentOptions, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PICKET_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Every process that shares the database must seal secrets with the same key.
    PICKET_SECRET_KEY: randomBytes(32).toString('hex'),
    // The load is steady and far above the spike protection floor; the suite tests durability,
    // not the limiter.
    PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: '1000000000',
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.PICKET_REDIS_PREFIX;
  delete env.PICKET_BLOB_URL;

  if (options.mode !== 'embedded') {
    if (options.databaseUrl === undefined) {
      throw new Error(`mode ${options.mode} needs a databaseUrl`);
    }
    env.DATABASE_URL = options.databaseUrl;
  }
  if (options.mode === 'split-redis') {
    if (options.redisUrl === undefined) {
      throw new Error('mode split-redis needs a redisUrl');
    }
    env.REDIS_URL = options.redisUrl;
    env.PICKET_REDIS_PREFIX = options.redisPrefix ?? `rel${process.pid}`;
    if (options.blobUrl !== undefined) {
      env.PICKET_BLOB_URL = options.blobUrl;
    }
  }
  return env;
}
