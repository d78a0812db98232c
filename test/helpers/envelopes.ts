/** Builds envelopes with binary items and reads stored outcomes, for the feedback and attachment tests. */
import path from 'node:path';

import Sqlite from 'better-sqlite3';

import type { PicketInstance, TestProject } from './picket.js';

export interface RawItem {
  headers: Record<string, unknown>;
  /** Bytes are sent as they are with a `length` header; objects as JSON. */
  payload: Buffer | string | Record<string, unknown>;
}

/** Serializes an envelope. Every item gets a `length`, so binary payloads may hold newlines. */
export function buildEnvelope(headers: Record<string, unknown>, items: RawItem[]): Buffer {
  const parts: Buffer[] = [Buffer.from(JSON.stringify(headers))];
  for (const item of items) {
    const payload = Buffer.isBuffer(item.payload)
      ? item.payload
      : Buffer.from(typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload));
    parts.push(Buffer.from(`\n${JSON.stringify({ ...item.headers, length: payload.length })}\n`));
    parts.push(payload);
  }
  return Buffer.concat(parts);
}

/** Returns an ingest URL of the project with the DSN key in the query string. */
export function ingestUrl(project: TestProject, route: string, query = ''): string {
  const dsn = new URL(project.dsn);
  const extra = query === '' ? '' : `&${query}`;
  return `${dsn.protocol}//${dsn.host}/api/${project.projectId}/${route}?sentry_key=${dsn.username}${extra}`;
}

export function postEnvelope(project: TestProject, body: Buffer): Promise<Response> {
  return fetch(ingestUrl(project, 'envelope/'), { method: 'POST', body: new Uint8Array(body) });
}

export interface OutcomeRow {
  outcome: string;
  reason: string;
  category: string;
  quantity: number;
}

/** Reads the outcome totals of a project from the server's SQLite file. */
export function readOutcomes(picket: PicketInstance, projectId: number): OutcomeRow[] {
  const sqlite = new Sqlite(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
  try {
    return sqlite
      .prepare(
        'SELECT outcome, reason, category, SUM(quantity) AS quantity FROM outcomes WHERE project_id = ? GROUP BY outcome, reason, category',
      )
      .all(projectId) as OutcomeRow[];
  } finally {
    sqlite.close();
  }
}

/** Returns a random event id as 32 hex digits. */
export function newEventId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
