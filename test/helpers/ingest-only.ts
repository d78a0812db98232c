/**
 * Runs Picket with `--role ingest`, so that nothing consumes the embedded queue and a test can
 * read what ingest queued from `<dataDir>/queue.sqlite`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';

import { setupProject, startPicket, type TestProject } from './picket.js';

const BIN = fileURLToPath(new URL('../../bin/picket.js', import.meta.url));

export interface IngestOnlyInstance {
  url: string;
  dataDir: string;
  project: TestProject;
  stop(): Promise<void>;
}

export interface QueuedRecord {
  kind: string;
  projectId: number;
  body: unknown;
}

/**
 * Creates a project with a full server, stops it, and starts an ingest-only server on the same
 * data folder. The folder is removed on stop.
 */
export async function startIngestOnly(prefix: string): Promise<IngestOnlyInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-ingest-'));
  const setup = await startPicket({ dataDir });
  const project = await setupProject(setup, prefix);
  await setup.stop();

  const child = spawn(process.execPath, [BIN, 'serve', '--role', 'ingest'], {
    env: { ...setup.env, PORT: '0' },
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`ingest did not start:\n${output.join('')}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /"url":"([^"]+)".*"msg":"server listening"/.exec(output.join(''));
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ingest exited with ${code}:\n${output.join('')}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  return { url, dataDir, project, stop };
}

/** Reads every record in the embedded queue, oldest first, with its body parsed. */
export function readQueuedRecords(dataDir: string): QueuedRecord[] {
  const queue = new Database(path.join(dataDir, 'queue.sqlite'), { readonly: true });
  try {
    const rows = queue
      .prepare('SELECT kind, project_id AS projectId, body FROM ingest_queue ORDER BY id')
      .all() as { kind: string; projectId: number; body: string }[];
    return rows.map((row) => ({ ...row, body: JSON.parse(row.body) as unknown }));
  } finally {
    queue.close();
  }
}
