import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPicket, waitFor, type PicketInstance } from '../helpers/picket.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const ROLES = ['all', 'ingest', 'worker', 'web'] as const;

interface HealthBody {
  status: string;
  role: string;
  queue: { depth: number | null; lagSeconds: number | null };
  checks?: Record<string, string>;
}

async function getJson(url: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('health endpoints of each role', () => {
  const servers = new Map<string, PicketInstance>();

  beforeAll(async () => {
    const started = await Promise.all(ROLES.map((role) => startPicket({ args: ['--role', role] })));
    ROLES.forEach((role, index) => {
      const server = started[index];
      if (server !== undefined) {
        servers.set(role, server);
      }
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  });

  it.each(ROLES)('answers /_health and /_health/live with role %s', async (role) => {
    const url = servers.get(role)?.url ?? '';
    const health = await getJson(`${url}/_health`);
    const live = await getJson(`${url}/_health/live`);

    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', role });
    expect(live.status).toBe(200);
    expect(Object.keys(live.body.queue).sort()).toEqual(['depth', 'lagSeconds']);
  });

  it.each(ROLES)('reports ready with role %s', async (role) => {
    const url = servers.get(role)?.url ?? '';
    const ready = await waitFor(async () => {
      const result = await getJson(`${url}/_health/ready`);
      return result.status === 200 ? result : undefined;
    }, 30_000);

    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks?.database).toBe('ok');
    expect(ready.body.checks?.queue).toBe('ok');
    expect(ready.body.checks?.worker).toBe(role === 'all' || role === 'worker' ? 'ok' : undefined);
  });

  it('serves only health and metrics with role worker', async () => {
    const url = servers.get('worker')?.url ?? '';
    const metrics = await fetch(`${url}/metrics`);
    const apiRoot = await fetch(`${url}/api/0/`);
    const page = await fetch(`${url}/`);
    const envelope = await fetch(`${url}/api/1/envelope/`, { method: 'POST', body: '{}' });

    expect(metrics.status).toBe(200);
    expect(apiRoot.status).toBe(404);
    expect(page.status).toBe(404);
    expect(envelope.status).toBe(404);
  });

  it('points events sent to role web at ingest', async () => {
    const url = servers.get('web')?.url ?? '';
    const envelope = await fetch(`${url}/api/1/envelope/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-sentry-envelope' },
      body: '{}',
    });
    const body = (await envelope.json()) as { detail: string };

    expect(envelope.status).toBe(404);
    expect(body.detail).toContain('runs the web role and takes no events');
  });

  it('reveals no path, URL or version in the health body', async () => {
    const server = servers.get('all');
    const text = await (await fetch(`${server?.url ?? ''}/_health/ready`)).text();

    expect(text).not.toContain(server?.dataDir ?? 'unset');
    expect(text).not.toMatch(/https?:|postgres|sqlite|version|v\d+\.\d+/i);
  });
});

/** A PostgreSQL server of the test's own, in a temporary folder, run as user postgres. */
class OwnPostgres {
  readonly dir: string;
  readonly port: number;

  constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  static async create(): Promise<OwnPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-pg-'));
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['postgres', dir]);
    const port = await freePort();
    runAsPostgres(`${PG_BIN}/initdb`, [
      '-D',
      path.join(dir, 'data'),
      '--auth=trust',
      '-U',
      'postgres',
    ]);
    const server = new OwnPostgres(dir, port);
    server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    runAsPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      path.join(this.dir, 'data'),
      '-l',
      path.join(this.dir, 'log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  }

  /** Stops the server through its postmaster's pid (fast shutdown) and waits until it is gone. */
  async stop(): Promise<void> {
    const pidFile = path.join(this.dir, 'data', 'postmaster.pid');
    if (!fs.existsSync(pidFile)) {
      return;
    }
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
    await waitFor(async () => (isRunning(pid) ? undefined : true), 30_000);
  }

  async remove(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function runAsPostgres(command: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: the process has exited.
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

describe('GET /_health/ready with PostgreSQL', () => {
  let postgres: OwnPostgres;
  let picket: PicketInstance;

  beforeAll(async () => {
    postgres = await OwnPostgres.create();
    picket = await startPicket({ databaseUrl: postgres.url });
  }, 120_000);

  afterAll(async () => {
    await picket.stop();
    await postgres.remove();
  });

  it('turns 503 while PostgreSQL is down and 200 when it is back', async () => {
    const before = await getJson(`${picket.url}/_health/ready`);

    await postgres.stop();
    const down = await waitFor(async () => {
      const result = await getJson(`${picket.url}/_health/ready`);
      return result.status === 503 ? result : undefined;
    }, 30_000);
    const liveWhileDown = await getJson(`${picket.url}/_health/live`);

    postgres.start();
    const back = await waitFor(async () => {
      const result = await getJson(`${picket.url}/_health/ready`);
      return result.status === 200 ? result : undefined;
    }, 120_000);

    expect(before.status).toBe(200);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks?.database).toMatch(/^(failed|timeout)$/);
    expect(JSON.stringify(down.body)).not.toContain(String(postgres.port));
    expect(liveWhileDown.status).toBe(200);
    expect(back.body.checks?.database).toBe('ok');
  }, 150_000);
});
