import { sql, type Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import { compressPayload, findOrCreateIssueDictionaries } from '../events/index.js';
import { insertNewIssue } from '../issues/issue-insert.js';
import { applyIssueTransitions } from '../issues/issue-workflow-transitions.js';
import { recordEventReleases } from '../releases/event-releases.js';
import type { PreparedEvent } from './prepare-event.js';

const ROWS_PER_INSERT = 100;
// Six parameters a row: 3,000 per statement, far below the limits of SQLite (32,766) and
// PostgreSQL (65,535).
const TAG_ROWS_PER_UPSERT = 500;

function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

interface IssueUpdate {
  issueId: number;
  count: number;
  firstSeen: number;
  lastSeen: number;
  latest: PreparedEvent;
}

/** The issue changes of a batch, for the alert rules; `storeEvents` fills it in when given one. */
export interface StoreReport {
  /** The issue of each returned event, in the same order. */
  issueIds: number[];
  /** Issues the batch created. */
  newIssueIds: Set<number>;
  /** Issues the batch reopened, with their new substatus. */
  transitions: Map<number, string>;
}

/**
 * Stores a batch inside the caller's transaction: events already stored (same project and
 * event id) are skipped, new issues are created for unknown hashes, and issue counters and tag
 * values are updated once per issue. Returns the events that were new.
 */
export async function storeEvents(
  trx: Kysely<Database>,
  dialect: Dialect,
  batch: PreparedEvent[],
  report?: StoreReport,
): Promise<PreparedEvent[]> {
  const events =
    dialect === 'postgres' ? await claimEventIds(trx, batch) : await dropStoredEvents(trx, batch);
  if (events.length === 0) {
    return events;
  }

  const issueIds = await assignIssues(trx, events, report?.newIssueIds);
  const dictionaries = await findOrCreateIssueDictionaries(
    trx,
    dialect,
    events.map((event, index) => ({
      projectId: event.projectId,
      issueId: issueIds[index] ?? 0,
      json: event.json,
    })),
    Date.now(),
  );
  const rows = events.map((event, index) => {
    const dictionary = dictionaries.get(issueIds[index] ?? 0);
    return {
      ...eventColumns(event, issueIds[index] ?? 0),
      payload: compressPayload(event.json, dictionary?.dictionary ?? null),
      payloadDictionaryId: dictionary?.id ?? null,
    };
  });

  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('events')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }

  const updates = collectIssueUpdates(events, issueIds);
  await updateIssues(trx, dialect, updates);
  await upsertTagValues(trx, events, issueIds);
  await addHourlyCounts(trx, events, issueIds);
  await refreshUserCounts(trx, events, issueIds);
  await markFirstEvents(trx, events);
  await recordEventReleases(trx, dialect, events);
  const transitions = await applyIssueTransitions(trx, collectIssueReleases(events, issueIds));
  if (report !== undefined) {
    report.issueIds.push(...issueIds);
    for (const [issueId, substatus] of transitions) {
      report.transitions.set(issueId, substatus);
    }
  }

  return events;
}

/** Returns the columns of an event's row, all but its payload. */
function eventColumns(event: PreparedEvent, issueId: number) {
  return {
    projectId: event.projectId,
    issueId,
    eventId: event.eventId,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    type: event.type,
    level: event.level,
    platform: event.platform,
    title: event.title,
    release: event.release,
    environment: event.environment,
    traceId: event.traceId,
    userTag: event.userTag,
    size: event.size,
    primaryHash: event.hashes[0] ?? null,
    tagLine: tagLine(event.tags),
  };
}

/**
 * Joins tags into `\nkey=value\n...`, the form the events search matches with LIKE. A line
 * break inside a key or value is written as a space so that it cannot forge a line.
 */
export function tagLine(tags: readonly (readonly [string, string])[]): string {
  const clean = (text: string) => text.replace(/[\r\n]/g, ' ');
  return `\n${tags.map(([key, value]) => `${clean(key)}=${clean(value)}`).join('\n')}\n`;
}

const HOUR_MS = 3_600_000;

/** Adds the batch's events to the per-issue hourly counts that the issue charts read. */
async function addHourlyCounts(trx: Kysely<Database>, events: PreparedEvent[], issueIds: number[]) {
  const counts = new Map<string, { issueId: number; hour: number; count: number }>();
  events.forEach((event, index) => {
    const issueId = issueIds[index] ?? 0;
    const hour = Math.floor(event.timestamp / HOUR_MS) * HOUR_MS;
    const key = `${issueId}:${hour}`;
    const existing = counts.get(key);
    if (existing === undefined) {
      counts.set(key, { issueId, hour, count: 1 });
    } else {
      existing.count += 1;
    }
  });

  // Sorted, so that two workers upserting the same rows lock them in the same order.
  const rows = [...counts.values()].sort((a, b) => a.issueId - b.issueId || a.hour - b.hour);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('issueHourlyCounts')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) =>
        conflict
          .columns(['issueId', 'hour'])
          .doUpdateSet({ count: sql`issue_hourly_counts.count + excluded.count` }),
      )
      .execute();
  }
}

function dedupeBatch(batch: PreparedEvent[]): Map<string, PreparedEvent> {
  const unique = new Map<string, PreparedEvent>();
  for (const event of batch) {
    const key = `${event.projectId}:${event.eventId}`;
    if (!unique.has(key)) {
      unique.set(key, event);
    }
  }
  return unique;
}

/**
 * Inserts the batch's (project, event id) pairs into `event_ids` and returns the events whose
 * pair was new. A second worker inserting the same pair waits for the first one's transaction:
 * after a commit its insert does nothing, so the event is stored once; after a rollback its
 * insert goes through. Pairs are inserted in sorted order, so two batches that share several
 * pairs take their locks in the same order and do not deadlock.
 */
async function claimEventIds(trx: Kysely<Database>, batch: PreparedEvent[]) {
  const unique = dedupeBatch(batch);
  const sorted = [...unique.values()].sort(
    (a, b) => a.projectId - b.projectId || (a.eventId < b.eventId ? -1 : 1),
  );
  if (sorted.length === 0) {
    return [];
  }

  const claimed = new Set<string>();
  for (let start = 0; start < sorted.length; start += ROWS_PER_INSERT) {
    const rows = await trx
      .insertInto('eventIds')
      .values(
        sorted.slice(start, start + ROWS_PER_INSERT).map((event) => ({
          projectId: event.projectId,
          eventId: event.eventId,
          receivedAt: event.receivedAt,
        })),
      )
      .onConflict((conflict) => conflict.columns(['projectId', 'eventId']).doNothing())
      .returning(['projectId', 'eventId'])
      .execute();
    for (const row of rows) {
      claimed.add(`${row.projectId}:${row.eventId}`);
    }
  }
  return [...unique].filter(([key]) => claimed.has(key)).map(([, event]) => event);
}

async function dropStoredEvents(trx: Kysely<Database>, batch: PreparedEvent[]) {
  if (batch.length === 0) {
    return [];
  }

  const unique = dedupeBatch(batch);

  // Both columns are filtered, so the lookup uses the unique (project_id, event_id) index
  // instead of scanning every event.
  const candidates = [...unique.values()];
  const stored = await trx
    .selectFrom('events')
    .select(['projectId', 'eventId'])
    .where('projectId', 'in', [...new Set(candidates.map((event) => event.projectId))])
    .where(
      'eventId',
      'in',
      candidates.map((event) => event.eventId),
    )
    .execute();

  for (const row of stored) {
    unique.delete(`${row.projectId}:${row.eventId}`);
  }
  return [...unique.values()];
}

/** Returns the issue id of each event, creating issues for hashes never seen before. */
async function assignIssues(
  trx: Kysely<Database>,
  events: PreparedEvent[],
  created?: Set<number>,
): Promise<number[]> {
  const known = new Map<string, number>();
  const projectIds = [...new Set(events.map((event) => event.projectId))];

  for (const projectId of projectIds) {
    const hashes = [
      ...new Set(events.filter((e) => e.projectId === projectId).flatMap((e) => e.hashes)),
    ];
    if (hashes.length === 0) {
      continue;
    }
    const rows = await trx
      .selectFrom('issueHashes')
      .select(['hash', 'issueId'])
      .where('projectId', '=', projectId)
      .where('hash', 'in', hashes)
      .execute();
    for (const row of rows) {
      known.set(`${projectId}:${row.hash}`, row.issueId);
    }
  }

  const issueIds: number[] = [];
  for (const event of events) {
    const keys = event.hashes.map((hash) => `${event.projectId}:${hash}`);
    let issueId = keys.map((key) => known.get(key)).find((id) => id !== undefined);
    if (issueId === undefined) {
      issueId = await createIssue(trx, event);
      created?.add(issueId);
    }

    const unmapped = event.hashes.filter((hash) => !known.has(`${event.projectId}:${hash}`));
    if (unmapped.length > 0) {
      await trx
        .insertInto('issueHashes')
        .values(unmapped.map((hash) => ({ projectId: event.projectId, hash, issueId })))
        .onConflict((conflict) => conflict.columns(['projectId', 'hash']).doNothing())
        .execute();
      for (const hash of unmapped) {
        known.set(`${event.projectId}:${hash}`, issueId);
      }
    }
    issueIds.push(issueId);
  }

  return issueIds;
}

function createIssue(trx: Kysely<Database>, event: PreparedEvent): Promise<number> {
  return insertNewIssue(trx, event.projectId, {
    title: event.title,
    culprit: event.culprit,
    type: event.type,
    level: event.level,
    platform: event.platform,
    metadata: JSON.stringify(event.metadata),
    firstSeen: event.timestamp,
    lastSeen: event.timestamp,
    firstRelease: event.release,
    lastRelease: event.release,
  });
}

function collectIssueUpdates(events: PreparedEvent[], issueIds: number[]): IssueUpdate[] {
  const updates = new Map<number, IssueUpdate>();

  events.forEach((event, index) => {
    const issueId = issueIds[index] ?? 0;
    const update = updates.get(issueId);

    if (update === undefined) {
      updates.set(issueId, {
        issueId,
        count: 1,
        firstSeen: event.timestamp,
        lastSeen: event.timestamp,
        latest: event,
      });
      return;
    }

    update.count += 1;
    update.firstSeen = Math.min(update.firstSeen, event.timestamp);
    update.lastSeen = Math.max(update.lastSeen, event.timestamp);
    if (event.timestamp >= update.latest.timestamp) {
      update.latest = event;
    }
  });

  return [...updates.values()];
}

async function updateIssues(trx: Kysely<Database>, dialect: Dialect, updates: IssueUpdate[]) {
  if (dialect === 'postgres') {
    await updateIssuesTogether(trx, updates);
    return;
  }

  for (const update of updates) {
    const latest = update.latest;
    await trx
      .updateTable('issues')
      .set({
        timesSeen: sql`times_seen + ${update.count}`,
        firstSeen: sql`MIN(first_seen, ${update.firstSeen})`,
        lastSeen: sql`MAX(last_seen, ${update.lastSeen})`,
        level: latest.level,
        title: latest.title,
        culprit: latest.culprit,
        metadata: JSON.stringify(latest.metadata),
        lastRelease: latest.release,
      })
      .where('id', '=', update.issueId)
      .execute();
  }
}

/**
 * Updates the counters and latest-event columns of all issues of a batch with one statement,
 * instead of one round trip per issue. The rows are first locked in id order, so that two
 * workers whose batches share issues wait for each other instead of deadlocking.
 */
async function updateIssuesTogether(trx: Kysely<Database>, updates: IssueUpdate[]) {
  if (updates.length === 0) {
    return;
  }

  const sorted = [...updates].sort((a, b) => a.issueId - b.issueId);
  const ids = sorted.map((update) => update.issueId);
  await sql`SELECT id FROM issues WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR NO KEY UPDATE`.execute(
    trx,
  );

  const column = <T>(read: (update: IssueUpdate) => T) => sorted.map(read);
  await sql`
    UPDATE issues SET
      times_seen = issues.times_seen + batch.count,
      first_seen = LEAST(issues.first_seen, batch.first_seen),
      last_seen = GREATEST(issues.last_seen, batch.last_seen),
      level = batch.level,
      title = batch.title,
      culprit = batch.culprit,
      metadata = batch.metadata,
      last_release = batch.last_release
    FROM unnest(
      ${ids}::bigint[],
      ${column((update) => update.count)}::bigint[],
      ${column((update) => update.firstSeen)}::bigint[],
      ${column((update) => update.lastSeen)}::bigint[],
      ${column((update) => update.latest.level)}::text[],
      ${column((update) => update.latest.title)}::text[],
      ${column((update) => update.latest.culprit)}::text[],
      ${column((update) => JSON.stringify(update.latest.metadata))}::text[],
      ${column((update) => update.latest.release)}::text[]
    ) AS batch(id, count, first_seen, last_seen, level, title, culprit, metadata, last_release)
    WHERE issues.id = batch.id
  `.execute(trx);
}

/** Lists the releases of each issue's new events, for the regression and unarchive checks. */
function collectIssueReleases(events: PreparedEvent[], issueIds: number[]) {
  const releases = new Map<number, (string | null)[]>();
  events.forEach((event, index) => {
    const issueId = issueIds[index] ?? 0;
    const list = releases.get(issueId) ?? [];
    list.push(event.release);
    releases.set(issueId, list);
  });
  return [...releases].map(([issueId, list]) => ({ issueId, releases: list }));
}

async function upsertTagValues(trx: Kysely<Database>, events: PreparedEvent[], issueIds: number[]) {
  const counts = new Map<
    string,
    {
      issueId: number;
      key: string;
      value: string;
      timesSeen: number;
      firstSeen: number;
      lastSeen: number;
    }
  >();

  events.forEach((event, index) => {
    const issueId = issueIds[index] ?? 0;
    for (const [key, value] of event.tags) {
      const id = `${issueId}\u0000${key}\u0000${value}`;
      const existing = counts.get(id);
      if (existing === undefined) {
        counts.set(id, {
          issueId,
          key,
          value,
          timesSeen: 1,
          firstSeen: event.timestamp,
          lastSeen: event.timestamp,
        });
      } else {
        existing.timesSeen += 1;
        existing.firstSeen = Math.min(existing.firstSeen, event.timestamp);
        existing.lastSeen = Math.max(existing.lastSeen, event.timestamp);
      }
    }
  });

  // Sorted, so that two workers upserting the same rows lock them in the same order.
  const rows = [...counts.values()].sort(
    (a, b) => a.issueId - b.issueId || compareText(a.key, b.key) || compareText(a.value, b.value),
  );
  for (let start = 0; start < rows.length; start += TAG_ROWS_PER_UPSERT) {
    await trx
      .insertInto('issueTagValues')
      .values(rows.slice(start, start + TAG_ROWS_PER_UPSERT))
      .onConflict((conflict) =>
        conflict.columns(['issueId', 'key', 'value']).doUpdateSet({
          timesSeen: sql`issue_tag_values.times_seen + excluded.times_seen`,
          firstSeen: sql`CASE WHEN excluded.first_seen < issue_tag_values.first_seen THEN excluded.first_seen ELSE issue_tag_values.first_seen END`,
          lastSeen: sql`CASE WHEN excluded.last_seen > issue_tag_values.last_seen THEN excluded.last_seen ELSE issue_tag_values.last_seen END`,
        }),
      )
      .execute();
  }
}

async function refreshUserCounts(
  trx: Kysely<Database>,
  events: PreparedEvent[],
  issueIds: number[],
) {
  const touched = [...new Set(issueIds.filter((_, index) => events[index]?.userTag !== null))];
  if (touched.length === 0) {
    return;
  }

  await trx
    .updateTable('issues')
    .set({
      userCount: sql`(SELECT count(*) FROM issue_tag_values WHERE issue_tag_values.issue_id = issues.id AND issue_tag_values.key = 'user')`,
    })
    .where('id', 'in', touched)
    .execute();
}

async function markFirstEvents(trx: Kysely<Database>, events: PreparedEvent[]) {
  const first = new Map<number, number>();
  for (const event of events) {
    first.set(
      event.projectId,
      Math.min(first.get(event.projectId) ?? event.receivedAt, event.receivedAt),
    );
  }

  for (const [projectId, receivedAt] of first) {
    await trx
      .updateTable('projects')
      .set({ firstEventAt: receivedAt })
      .where('id', '=', projectId)
      .where('firstEventAt', 'is', null)
      .execute();
  }
}
