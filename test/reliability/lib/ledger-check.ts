/**
 * The check after a scenario: wait until the queue is drained, then compare what the client
 * saw acknowledged with what the database stored, and the stored events with the outcomes.
 */
import path from 'node:path';

import Database from 'better-sqlite3';
import { Redis } from 'ioredis';

import { connectDb, type Db } from '../../../src/server/platform/db/index.js';
import type { Deployment } from './deployment.js';
import type { LoadGenerator } from './load-generator.js';

const HOUR_MS = 3_600_000;
const POLL_MS = 750;
// The outcome recorder flushes once a second, so totals that stay the same for 4.5 s are final.
const STABLE_POLLS = 6;
const QUEUE_POSITION_KEY = 'sqlite_queue_position';

/** The result of the check, with the numbers of the summary line. */
export interface LedgerReport {
  sent: number;
  acknowledged: number;
  /** Acknowledged event ids that no row stores. */
  missing: string[];
  /** Event ids stored in more than one row. */
  duplicates: string[];
  /** Stored event ids that the client never sent. */
  unknown: string[];
  /** Sent but never acknowledged ids that were stored anyway (allowed). */
  storedUnacknowledged: number;
  projectHours: number;
  reconciledProjectHours: number;
  /** Project-hours where the `accepted` outcomes differ from the stored rows. */
  mismatches: string[];
  /** Outcome totals of the scenario's projects by `outcome/reason`. */
  outcomeTotals: Map<string, number>;
}

interface StoredEvent {
  projectId: number;
  eventId: string;
  receivedAt: number;
}

interface OutcomeRow {
  projectId: number;
  hour: number;
  outcome: string;
  reason: string;
  category: string;
  quantity: number;
}

/** Opens the deployment's database from the test process. */
export function openDeploymentDb(deployment: Deployment): Db {
  return connectDb({
    databaseUrl: deployment.databaseUrl,
    dataDir: deployment.dataDir,
    poolSize: 1,
  });
}

/**
 * Returns how many queued records wait for a worker, as far as the mode lets the test see.
 * That is the embedded queue file past the worker's position, or the PostgreSQL `ingest_queue`
 * table. The Redis mode adds the pending and undelivered entries of every stream under the
 * deployment's key prefix.
 */
export async function readQueueDepth(deployment: Deployment, db: Db): Promise<number> {
  if (deployment.mode === 'embedded') {
    const row = await db.kysely
      .selectFrom('workerState')
      .select('value')
      .where('key', '=', QUEUE_POSITION_KEY)
      .executeTakeFirst();
    const position = Number(row?.value ?? 0);
    const queue = new Database(path.join(deployment.dataDir, 'queue.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      const waiting = queue
        .prepare('SELECT count(*) AS count FROM ingest_queue WHERE id > ?')
        .get(position) as { count: number };
      return waiting.count;
    } finally {
      queue.close();
    }
  }

  const table = await db.kysely
    .selectFrom('ingestQueue')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirst();
  const tableDepth = Number(table?.count ?? 0);
  if (deployment.mode !== 'split-redis') {
    return tableDepth;
  }
  const streams = await readRedisStreams(deployment);
  return tableDepth + streams.backlog;
}

/** Counts the streams under the deployment's Redis prefix and their unfinished entries. */
export async function readRedisStreams(
  deployment: Deployment,
): Promise<{ streams: number; keys: number; backlog: number }> {
  if (deployment.redisUrl === undefined || deployment.redisPrefix === undefined) {
    return { streams: 0, keys: 0, backlog: 0 };
  }
  const redis = new Redis(deployment.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${deployment.redisPrefix}*`);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');

    let streams = 0;
    let backlog = 0;
    for (const key of keys) {
      if ((await redis.type(key)) !== 'stream') {
        continue;
      }
      streams += 1;
      const groups = (await redis.xinfo('GROUPS', key)) as unknown[][];
      for (const group of groups) {
        const fields = toFieldMap(group);
        backlog += Number(fields.get('pending') ?? 0) + Number(fields.get('lag') ?? 0);
      }
    }
    return { streams, keys: keys.length, backlog };
  } finally {
    redis.disconnect();
  }
}

function toFieldMap(flat: unknown[]): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < flat.length; index += 2) {
    fields.set(String(flat[index]), flat[index + 1]);
  }
  return fields;
}

async function readStoredEvents(db: Db, projectIds: number[]): Promise<StoredEvent[]> {
  const rows = await db.kysely
    .selectFrom('events')
    .select(['projectId', 'eventId', 'receivedAt'])
    .where('projectId', 'in', projectIds)
    .execute();
  return rows.map((row) => ({
    projectId: Number(row.projectId),
    eventId: row.eventId,
    receivedAt: Number(row.receivedAt),
  }));
}

async function readOutcomes(db: Db, projectIds: number[]): Promise<OutcomeRow[]> {
  const rows = await db.kysely
    .selectFrom('outcomes')
    .select(['projectId', 'hour', 'outcome', 'reason', 'category', 'quantity'])
    .where('projectId', 'in', projectIds)
    .execute();
  return rows.map((row) => ({
    ...row,
    projectId: Number(row.projectId),
    hour: Number(row.hour),
    quantity: Number(row.quantity),
  }));
}

/**
 * Polls until the queue is empty and the stored events and outcome totals have stopped
 * changing, then returns. Fails after `timeoutMs` with the last numbers seen. A query that
 * fails (the database is restarting) counts as "not drained yet".
 */
export async function waitForDrain(
  deployment: Deployment,
  projectIds: number[],
  timeoutMs: number,
): Promise<void> {
  const db = openDeploymentDb(deployment);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let stablePolls = 0;
  let lastError: unknown;

  try {
    while (Date.now() < deadline) {
      try {
        const depth = await readQueueDepth(deployment, db);
        const events = await readStoredEvents(db, projectIds);
        const outcomes = await readOutcomes(db, projectIds);
        const total = outcomes.reduce((sum, row) => sum + row.quantity, 0);
        const snapshot = `queue ${depth}, events ${events.length}, outcomes ${total}`;
        stablePolls = depth === 0 && snapshot === last ? stablePolls + 1 : 0;
        last = snapshot;
        if (stablePolls >= STABLE_POLLS) {
          return;
        }
      } catch (error) {
        lastError = error;
        stablePolls = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await db.close();
  }
  throw new Error(
    `queue not drained within ${timeoutMs} ms (last seen: ${last || 'nothing'}${lastError === undefined ? '' : `, last error: ${String(lastError)}`})`,
  );
}

/** Compares the client's ledger with the stored events and the outcomes. */
export async function checkLedger(
  deployment: Deployment,
  load: LoadGenerator,
  projectIds: number[],
): Promise<LedgerReport> {
  const db = openDeploymentDb(deployment);
  let stored: StoredEvent[];
  let outcomes: OutcomeRow[];
  try {
    stored = await readStoredEvents(db, projectIds);
    outcomes = await readOutcomes(db, projectIds);
  } finally {
    await db.close();
  }

  const rowsById = new Map<string, number>();
  for (const event of stored) {
    rowsById.set(event.eventId, (rowsById.get(event.eventId) ?? 0) + 1);
  }

  const missing: string[] = [];
  let storedUnacknowledged = 0;
  for (const [eventId, sent] of load.events) {
    const isStored = rowsById.has(eventId);
    if (sent.acknowledged && !isStored) {
      missing.push(eventId);
    }
    if (!sent.acknowledged && isStored) {
      storedUnacknowledged += 1;
    }
  }
  const duplicates = [...rowsById].filter(([, rows]) => rows > 1).map(([eventId]) => eventId);
  const unknown = [...rowsById.keys()].filter((eventId) => !load.events.has(eventId));

  const reconciliation = reconcileProjectHours(stored, outcomes);
  const outcomeTotals = new Map<string, number>();
  for (const row of outcomes) {
    const key = `${row.outcome}/${row.reason || '-'}`;
    outcomeTotals.set(key, (outcomeTotals.get(key) ?? 0) + row.quantity);
  }

  return {
    sent: load.sent,
    acknowledged: load.acknowledged,
    missing,
    duplicates,
    unknown,
    storedUnacknowledged,
    ...reconciliation,
    outcomeTotals,
  };
}

/**
 * The worker counts an `accepted` outcome (category `error`) for each event it stores, in the
 * hour of the event's `received_at` and in the same transaction, so per project and hour the
 * two must be equal.
 */
function reconcileProjectHours(stored: StoredEvent[], outcomes: OutcomeRow[]) {
  const storedCounts = new Map<string, number>();
  for (const event of stored) {
    const key = `${event.projectId}@${Math.floor(event.receivedAt / HOUR_MS) * HOUR_MS}`;
    storedCounts.set(key, (storedCounts.get(key) ?? 0) + 1);
  }
  const acceptedCounts = new Map<string, number>();
  for (const row of outcomes) {
    if (row.outcome === 'accepted' && row.category === 'error') {
      const key = `${row.projectId}@${row.hour}`;
      acceptedCounts.set(key, (acceptedCounts.get(key) ?? 0) + row.quantity);
    }
  }

  const keys = new Set([...storedCounts.keys(), ...acceptedCounts.keys()]);
  const mismatches: string[] = [];
  for (const key of keys) {
    const rows = storedCounts.get(key) ?? 0;
    const accepted = acceptedCounts.get(key) ?? 0;
    if (rows !== accepted) {
      const [projectId, hour] = key.split('@');
      mismatches.push(
        `project ${projectId} hour ${new Date(Number(hour)).toISOString()}: ${accepted} accepted, ${rows} stored`,
      );
    }
  }
  return {
    projectHours: keys.size,
    reconciledProjectHours: keys.size - mismatches.length,
    mismatches,
  };
}

const formatNumber = (value: number) => value.toLocaleString('en-US');

/** Formats the summary line that the issue note quotes. */
export function formatSummary(label: string, faults: string, report: LedgerReport): string {
  const others = [...report.outcomeTotals]
    .filter(([key]) => !key.startsWith('accepted/'))
    .map(([key, quantity]) => `${key} ${formatNumber(quantity)}`);
  return [
    `reliability ${label}: ${faults}, ${formatNumber(report.sent)} sent`,
    `${formatNumber(report.acknowledged)} acknowledged`,
    `${formatNumber(report.missing.length)} missing`,
    `${formatNumber(report.duplicates.length)} duplicates`,
    `outcomes reconcile in ${report.reconciledProjectHours}/${report.projectHours} project-hours`,
    ...(report.storedUnacknowledged > 0
      ? [`${formatNumber(report.storedUnacknowledged)} stored without a 200`]
      : []),
    ...(others.length > 0 ? [`other outcomes: ${others.join(', ')}`] : []),
  ].join(', ');
}
