import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createUserAndToken } from './accounts-db.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'picket.js');

/** A Picket server started by a test as a child process of its own. */
export interface PicketInstance {
  url: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Log lines the server wrote so far (JSON from pino). */
  logs: string[];
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** PostgreSQL URL; each call gets a schema of its own through `search_path`. */
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Data folder to reuse, for restart tests; it is then left in place on stop. */
  dataDir?: string;
  /** Extra arguments of `picket serve`, such as `['--role', 'ingest']`. */
  args?: string[];
}

/** Runs `picket` with arguments and optional stdin, and returns its output. */
export function runCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: options.env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Creates a fresh PostgreSQL schema and returns a URL whose connections use it. */
export async function createPostgresSchema(baseUrl = 'postgres://postgres@127.0.0.1:5432/test') {
  const { default: pg } = await import('pg');
  const schema = `t_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

/** Starts the built server on a free port with a fresh data folder. */
export async function startPicket(options: StartOptions = {}): Promise<PicketInstance> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'picket-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PICKET_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    ...options.env,
  };
  if (options.databaseUrl === undefined) {
    delete env.DATABASE_URL;
  }

  const child = spawn(process.execPath, [BIN, 'serve', ...(options.args ?? [])], {
    env,
    cwd: ROOT,
  });
  const logs: string[] = [];
  let buffered = '';

  const url = await new Promise<string>((resolve, reject) => {
    // A loaded 2-core machine may take a while to migrate a fresh PostgreSQL schema. A server
    // that does not start in time is killed, so that it does not outlive the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 60 s:\n${logs.join('\n')}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const match = /"url":"([^"]+)".*"msg":"server listening"/.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    if (options.dataDir === undefined) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };

  return { url, dataDir, env, logs, process: child, stop };
}

export interface TestProject {
  email: string;
  password: string;
  token: string;
  orgSlug: string;
  teamSlug: string;
  projectSlug: string;
  projectId: number;
  publicKey: string;
  dsn: string;
}

let counter = 0;

/** Creates a user, an API token, an organization, a team and a project with its DSN. */
export async function setupProject(picket: PicketInstance, prefix = 'acme'): Promise<TestProject> {
  counter += 1;
  const email = `${prefix}${counter}@example.com`;
  const password = 'correct horse battery staple';
  const token = await createUserAndToken(picket, {
    email,
    password,
    scopes: [
      'org:read',
      'org:write',
      'team:write',
      'project:read',
      'project:write',
      'project:admin',
      'event:read',
      'event:write',
      'event:admin',
    ],
  });

  const orgSlug = `${prefix}-${counter}`;
  await apiRequest(picket, token, 'POST', '/api/0/organizations/', {
    name: `Acme ${counter}`,
    slug: orgSlug,
  });
  const projectSlug = `web-${counter}`;
  const project = (await apiRequest(
    picket,
    token,
    'POST',
    `/api/0/teams/${orgSlug}/${orgSlug}/projects/`,
    {
      name: `Web ${counter}`,
      slug: projectSlug,
      platform: 'javascript',
    },
  )) as { id: string };
  const keys = (await apiGet(picket, token, `/api/0/projects/${orgSlug}/${projectSlug}/keys/`)) as {
    public: string;
    dsn: { public: string };
  }[];
  const key = keys[0];
  if (key === undefined) {
    throw new Error('new project has no key');
  }

  return {
    email,
    password,
    token,
    orgSlug,
    teamSlug: orgSlug,
    projectSlug,
    projectId: Number(project.id),
    publicKey: key.public,
    dsn: key.dsn.public,
  };
}

/** Sends an API request with a bearer token and returns the parsed JSON body. */
export async function apiRequest(
  picket: PicketInstance,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${picket.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`);
  }
  return text === '' ? undefined : JSON.parse(text);
}

export function apiGet(picket: PicketInstance, token: string, pathname: string): Promise<unknown> {
  return apiRequest(picket, token, 'GET', pathname);
}

/** Posts an envelope built from items to the DSN's envelope endpoint. */
export async function sendEnvelope(
  dsn: string,
  items: { headers: Record<string, unknown>; payload: unknown }[],
  envelopeHeaders: Record<string, unknown> = {},
): Promise<Response> {
  const url = new URL(dsn);
  const projectId = url.pathname.split('/').pop() ?? '';
  const lines = [JSON.stringify(envelopeHeaders)];
  for (const item of items) {
    lines.push(JSON.stringify(item.headers));
    lines.push(typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload));
  }
  return fetch(
    `${url.protocol}//${url.host}/api/${projectId}/envelope/?sentry_key=${url.username}&sentry_version=7`,
    { method: 'POST', body: lines.join('\n') },
  );
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms${lastError === undefined ? '' : `: ${String(lastError)}`}`,
  );
}
