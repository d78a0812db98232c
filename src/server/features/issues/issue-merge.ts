import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { deleteAttachmentRows } from '../data-deletion/attachment-cleanup.js';
import { readStoredPayloads } from '../events/index.js';
import { recordActivity } from './issue-activity.js';
import { insertNewIssue } from './issue-insert.js';
import { formatShortId } from './issue-serializer.js';

const HOUR_MS = 3_600_000;
const ROWS_PER_INSERT = 100;

interface MergeCandidate {
  id: number;
  projectId: number;
  shortIdNumber: number;
  projectSlug: string;
  timesSeen: number;
}

/**
 * Merges issues into the one with the most events, or the lowest id on a tie. The children's
 * hashes, events, activity and user feedback move to the parent, which is then recounted from its events, and
 * the children are deleted. Later events of a child's hash reach the parent because the hash
 * now points to it. Runs inside the caller's transaction.
 */
export async function mergeIssues(
  trx: Kysely<Database>,
  issues: MergeCandidate[],
  actorId: number,
): Promise<{ parent: number; children: number[] }> {
  const unique = [...new Map(issues.map((issue) => [issue.id, issue])).values()];
  const ordered = unique.sort((a, b) => b.timesSeen - a.timesSeen || a.id - b.id);
  const [parent, ...children] = ordered;
  if (parent === undefined || children.length === 0) {
    throw new ValidationError('Merging needs at least two issues');
  }
  if (children.some((child) => child.projectId !== parent.projectId)) {
    throw new ValidationError('Only issues of the same project can be merged');
  }
  const childIds = children.map((child) => child.id);

  await trx
    .updateTable('issueHashes')
    .set({ issueId: parent.id })
    .where('issueId', 'in', childIds)
    .execute();
  await trx
    .updateTable('events')
    .set({ issueId: parent.id })
    .where('issueId', 'in', childIds)
    .execute();
  await trx
    .updateTable('issueActivity')
    .set({ issueId: parent.id })
    .where('issueId', 'in', childIds)
    .execute();
  await trx
    .updateTable('userFeedback')
    .set({ issueId: parent.id })
    .where('issueId', 'in', childIds)
    .execute();
  await trx.deleteFrom('issues').where('id', 'in', childIds).execute();
  await recountIssue(trx, parent.id);

  await recordActivity(trx, {
    issueId: parent.id,
    projectId: parent.projectId,
    userId: actorId,
    type: 'merge',
    data: {
      issues: children.map((child) => ({
        id: String(child.id),
        shortId: formatShortId(child.projectSlug, child.shortIdNumber),
      })),
    },
  });
  return { parent: parent.id, children: childIds };
}

/**
 * Moves the given hashes of an issue, with the events whose primary hash is one of them and the
 * feedback on those events, into a new issue, and recounts both. Runs inside the caller's transaction.
 * @throws ValidationError when a hash is not the issue's, or when every hash would move.
 */
export async function unmergeHashes(
  trx: Kysely<Database>,
  issueId: number,
  hashes: string[],
  actorId: number,
): Promise<number> {
  const owned = await trx
    .selectFrom('issueHashes')
    .select('hash')
    .where('issueId', '=', issueId)
    .execute();
  const ownedHashes = new Set(owned.map((row) => row.hash));
  const unknown = hashes.filter((hash) => !ownedHashes.has(hash));
  if (unknown.length > 0) {
    throw new ValidationError(`Hash ${JSON.stringify(unknown[0])} does not belong to this issue`);
  }
  if (new Set(hashes).size >= ownedHashes.size) {
    throw new ValidationError('Cannot unmerge every hash of an issue: keep at least one');
  }
  const remaining = await trx
    .selectFrom('events')
    .select('id')
    .where('issueId', '=', issueId)
    .where((eb) => eb.or([eb('primaryHash', 'is', null), eb('primaryHash', 'not in', hashes)]))
    .limit(1)
    .executeTakeFirst();
  if (remaining === undefined) {
    throw new ValidationError(
      'Cannot unmerge these hashes: every event of the issue has one of them, so keep a hash that has events',
    );
  }

  const source = await trx
    .selectFrom('issues')
    .selectAll()
    .where('id', '=', issueId)
    .executeTakeFirstOrThrow();
  const latest = await trx
    .selectFrom('events')
    .select(['title', 'release'])
    .where('issueId', '=', issueId)
    .where('primaryHash', 'in', hashes)
    .orderBy('timestamp', 'desc')
    .executeTakeFirst();

  const newId = await insertNewIssue(trx, source.projectId, {
    title: latest?.title ?? source.title,
    culprit: source.culprit,
    type: source.type,
    level: source.level,
    platform: source.platform,
    metadata: source.metadata,
    firstSeen: source.firstSeen,
    lastSeen: source.lastSeen,
    firstRelease: null,
    lastRelease: latest?.release ?? null,
  });

  await trx
    .updateTable('issueHashes')
    .set({ issueId: newId })
    .where('issueId', '=', issueId)
    .where('hash', 'in', hashes)
    .execute();
  await trx
    .updateTable('events')
    .set({ issueId: newId })
    .where('issueId', '=', issueId)
    .where('primaryHash', 'in', hashes)
    .execute();
  await trx
    .updateTable('userFeedback')
    .set({ issueId: newId })
    .where('issueId', '=', issueId)
    .where('eventId', 'in', (eb) =>
      eb.selectFrom('events').select('eventId').where('issueId', '=', newId),
    )
    .execute();
  await recountIssue(trx, issueId);
  await recountIssue(trx, newId);

  const data = { fingerprints: hashes };
  await recordActivity(trx, {
    issueId,
    projectId: source.projectId,
    userId: actorId,
    type: 'unmerge_source',
    data: { ...data, destination: String(newId) },
  });
  await recordActivity(trx, {
    issueId: newId,
    projectId: source.projectId,
    userId: actorId,
    type: 'unmerge_destination',
    data: { ...data, source: String(issueId) },
  });
  return newId;
}

/**
 * Recomputes an issue's event count, user count, first and last seen, first and last release,
 * tag values and hourly counts from its stored events.
 * NOTE: reads every event of the issue, and events removed by retention no longer count.
 */
export async function recountIssue(trx: Kysely<Database>, issueId: number): Promise<void> {
  const events = await trx
    .selectFrom('events')
    .select(['timestamp', 'release', 'tagLine'])
    .where('issueId', '=', issueId)
    .orderBy('timestamp')
    .execute();

  const tags = new Map<
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
  const hours = new Map<number, number>();
  for (const event of events) {
    const timestamp = Number(event.timestamp);
    const hour = Math.floor(timestamp / HOUR_MS) * HOUR_MS;
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
    for (const [key, value] of parseTagLine(event.tagLine)) {
      const id = `${key}\u0000${value}`;
      const existing = tags.get(id);
      if (existing === undefined) {
        tags.set(id, {
          issueId,
          key,
          value,
          timesSeen: 1,
          firstSeen: timestamp,
          lastSeen: timestamp,
        });
      } else {
        existing.timesSeen += 1;
        existing.lastSeen = timestamp;
      }
    }
  }

  await trx.deleteFrom('issueTagValues').where('issueId', '=', issueId).execute();
  await trx.deleteFrom('issueHourlyCounts').where('issueId', '=', issueId).execute();
  const tagRows = [...tags.values()];
  for (let start = 0; start < tagRows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('issueTagValues')
      .values(tagRows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
  const hourRows = [...hours].map(([hour, count]) => ({ issueId, hour, count }));
  for (let start = 0; start < hourRows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('issueHourlyCounts')
      .values(hourRows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }

  const first = events[0];
  const last = events.at(-1);
  const releases = events.flatMap((event) => (event.release === null ? [] : [event.release]));
  await trx
    .updateTable('issues')
    .set({
      timesSeen: events.length,
      userCount: tagRows.filter((row) => row.key === 'user').length,
      ...(first === undefined || last === undefined
        ? {}
        : { firstSeen: Number(first.timestamp), lastSeen: Number(last.timestamp) }),
      firstRelease: releases[0] ?? null,
      lastRelease: releases.at(-1) ?? null,
      ...(await readLatestSummary(trx, issueId)),
    })
    .where('id', '=', issueId)
    .execute();
}

/** Reads the title, culprit, type, level, platform and metadata of an issue's latest event. */
async function readLatestSummary(trx: Kysely<Database>, issueId: number) {
  const latest = await trx
    .selectFrom('events')
    .select(['payload', 'payloadDictionaryId', 'title', 'level', 'platform'])
    .where('issueId', '=', issueId)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) {
    return {};
  }
  const [json] = await readStoredPayloads(trx, [latest]);
  const stored = JSON.parse(json?.toString('utf8') ?? '{}') as Record<string, unknown>;
  return {
    title: latest.title,
    level: latest.level,
    platform: latest.platform,
    ...(typeof stored.culprit === 'string' ? { culprit: stored.culprit } : {}),
    ...(typeof stored.type === 'string' ? { type: stored.type } : {}),
    ...(typeof stored.metadata === 'object' && stored.metadata !== null
      ? { metadata: JSON.stringify(stored.metadata) }
      : {}),
  };
}

/** Reads an event's `\nkey=value\n...` tag line back into pairs. */
export function parseTagLine(line: string | null): [string, string][] {
  if (line === null) {
    return [];
  }
  return line
    .split('\n')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const separator = entry.indexOf('=');
      return separator === -1
        ? [entry, '']
        : [entry.slice(0, separator), entry.slice(separator + 1)];
    });
}

/**
 * Deletes issues with their events, the events' attachments and the hashes (the rest of their
 * rows cascade). With `discard`, a tombstone is written for each hash first, so the worker drops
 * their later events. Returns the blob keys of the deleted attachments, for the caller to delete
 * once the transaction has committed.
 */
export async function deleteIssues(
  trx: Kysely<Database>,
  issues: { id: number; projectId: number; title: string }[],
  options: { discard: boolean; actorId: number },
): Promise<string[]> {
  if (issues.length === 0) {
    return [];
  }
  const ids = issues.map((issue) => issue.id);
  if (options.discard) {
    const hashes = await trx
      .selectFrom('issueHashes')
      .select(['projectId', 'hash', 'issueId'])
      .where('issueId', 'in', ids)
      .execute();
    const now = Date.now();
    const rows = hashes.map((row) => ({
      projectId: row.projectId,
      hash: row.hash,
      title: issues.find((issue) => issue.id === Number(row.issueId))?.title ?? '',
      userId: options.actorId,
      createdAt: now,
    }));
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      await trx
        .insertInto('issueTombstones')
        .values(rows.slice(start, start + ROWS_PER_INSERT))
        .onConflict((conflict) => conflict.columns(['projectId', 'hash']).doNothing())
        .execute();
    }
  }
  const events = await trx
    .selectFrom('events')
    .select(['projectId', 'eventId'])
    .where('issueId', 'in', ids)
    .execute();
  const blobKeys: string[] = [];
  for (const projectId of new Set(events.map((event) => Number(event.projectId)))) {
    const eventIds = events
      .filter((event) => Number(event.projectId) === projectId)
      .map((event) => event.eventId);
    blobKeys.push(...(await deleteAttachmentRows(trx, projectId, eventIds)));
  }
  await trx.deleteFrom('events').where('issueId', 'in', ids).execute();
  await trx.deleteFrom('issueHashes').where('issueId', 'in', ids).execute();
  await trx.deleteFrom('issues').where('id', 'in', ids).execute();
  return blobKeys;
}
