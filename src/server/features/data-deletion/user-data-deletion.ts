import { sql, type Kysely } from 'kysely';

import type { UserDataDeleteResult } from '../../../shared/api/data-deletion.js';
import type { Database } from '../../platform/db/index.js';
import { attachPayloadDictionaries, inflatePayload } from '../events/index.js';
import { deleteAttachmentRows, IDS_PER_QUERY } from './attachment-cleanup.js';

const HOUR_MS = 3_600_000;

/** The person whose data is deleted: the `user.id` and/or `user.email` that SDKs sent. */
export interface UserMatch {
  userId?: string;
  /** Lower-cased e-mail address. */
  email?: string;
}

/** Result of a user-data deletion, with the blob keys to delete after the commit. */
export interface UserDataDeletion extends UserDataDeleteResult {
  blobKeys: string[];
}

interface MatchedEvent {
  id: number;
  projectId: number;
  issueId: number;
  eventId: string;
  timestamp: number;
  tagLine: string | null;
}

/** Values of the `user` tag (`id:…`, `email:…`) that an event of this user carries. */
function userTagValues(match: UserMatch): string[] {
  return [
    ...(match.userId === undefined ? [] : [`id:${match.userId}`]),
    ...(match.email === undefined ? [] : [`email:${match.email}`]),
  ];
}

/** Checks whether a stored `user` interface belongs to the person, by id or by e-mail. */
export function userMatches(user: unknown, match: UserMatch): boolean {
  if (typeof user !== 'object' || user === null) {
    return false;
  }
  const { id, email } = user as { id?: unknown; email?: unknown };
  const idMatches =
    match.userId !== undefined &&
    (typeof id === 'string' || typeof id === 'number') &&
    String(id) === match.userId;
  const emailMatches =
    match.email !== undefined &&
    typeof email === 'string' &&
    email.trim().toLowerCase() === match.email;
  return idMatches || emailMatches;
}

function payloadUser(payload: Buffer, dictionary: Buffer | null): unknown {
  try {
    const json = inflatePayload(payload, dictionary).toString('utf8');
    return (JSON.parse(json) as { user?: unknown }).user;
  } catch {
    return undefined;
  }
}

/**
 * Finds the rows of a table (events or transactions) whose user is the person. The `user` tag
 * finds most of them by index. The tag holds only the first of id, e-mail, username and IP, so
 * with an e-mail, the payloads of the other user-tagged rows are read too, in batches.
 */
async function findUserRows(
  trx: Kysely<Database>,
  table: 'events' | 'transactions',
  projectIds: readonly number[],
  match: UserMatch,
): Promise<number[]> {
  const tags = userTagValues(match);
  const ids = new Set<number>();
  const tagged = await trx
    .selectFrom(table as 'events')
    .select('id')
    .where('projectId', 'in', projectIds)
    .where('userTag', 'in', tags)
    .execute();
  for (const row of tagged) {
    ids.add(Number(row.id));
  }

  // A user id is always the tag when present, so only an e-mail needs the payloads.
  if (match.email === undefined) {
    return [...ids];
  }
  // Transactions are compressed without a dictionary.
  const dictionaryId =
    table === 'events' ? sql<number | null>`payload_dictionary_id` : sql<null>`NULL`;
  let afterId = 0;
  for (;;) {
    const rows = await trx
      .selectFrom(table as 'events')
      .select(['id', 'payload', dictionaryId.as('payloadDictionaryId')])
      .where('projectId', 'in', projectIds)
      .where('userTag', 'is not', null)
      .where('userTag', 'not in', tags)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(IDS_PER_QUERY)
      .execute();
    for (const row of await attachPayloadDictionaries(trx, rows)) {
      if (userMatches(payloadUser(row.payload, row.dictionary), match)) {
        ids.add(Number(row.id));
      }
    }
    if (rows.length < IDS_PER_QUERY) {
      return [...ids];
    }
    afterId = Number(rows[rows.length - 1]?.id ?? afterId);
  }
}

async function loadEvents(trx: Kysely<Database>, ids: readonly number[]): Promise<MatchedEvent[]> {
  const events: MatchedEvent[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const rows = await trx
      .selectFrom('events')
      .select(['id', 'projectId', 'issueId', 'eventId', 'timestamp', 'tagLine'])
      .where('id', 'in', ids.slice(start, start + IDS_PER_QUERY))
      .execute();
    events.push(
      ...rows.map((row) => ({
        id: Number(row.id),
        projectId: Number(row.projectId),
        issueId: Number(row.issueId),
        eventId: row.eventId,
        timestamp: Number(row.timestamp),
        tagLine: row.tagLine,
      })),
    );
  }
  return events;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) {
      groups.set(key(item), [item]);
    } else {
      group.push(item);
    }
  }
  return groups;
}

function parseTagLine(line: string | null): [string, string][] {
  return (line ?? '')
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
 * Takes the deleted events out of their issues' counters: hourly counts, tag values (and so
 * the user count) and `times_seen`, and moves first and last seen to the remaining events.
 * Issues left without events are deleted. Returns the numbers of issues updated and deleted.
 */
async function recountIssues(
  trx: Kysely<Database>,
  events: readonly MatchedEvent[],
): Promise<{ updated: number; deleted: number }> {
  let updated = 0;
  const emptyIssueIds: number[] = [];

  for (const [issueId, issueEvents] of groupBy(events, (event) => event.issueId)) {
    const remaining = await trx
      .selectFrom('events')
      .select([
        sql<number>`count(*)`.as('count'),
        sql<number | null>`min(timestamp)`.as('firstSeen'),
        sql<number | null>`max(timestamp)`.as('lastSeen'),
      ])
      .where('issueId', '=', issueId)
      .executeTakeFirstOrThrow();
    if (Number(remaining.count) === 0) {
      emptyIssueIds.push(issueId);
      continue;
    }

    for (const [hour, hourEvents] of groupBy(
      issueEvents,
      (event) => Math.floor(event.timestamp / HOUR_MS) * HOUR_MS,
    )) {
      await trx
        .updateTable('issueHourlyCounts')
        .set({ count: sql`count - ${hourEvents.length}` })
        .where('issueId', '=', issueId)
        .where('hour', '=', hour)
        .execute();
    }

    const tagCounts = new Map<string, { key: string; value: string; count: number }>();
    for (const event of issueEvents) {
      for (const [key, value] of parseTagLine(event.tagLine)) {
        const entry = tagCounts.get(`${key}\n${value}`) ?? { key, value, count: 0 };
        entry.count += 1;
        tagCounts.set(`${key}\n${value}`, entry);
      }
    }
    for (const { key, value, count } of tagCounts.values()) {
      await trx
        .updateTable('issueTagValues')
        .set({ timesSeen: sql`times_seen - ${count}` })
        .where('issueId', '=', issueId)
        .where('key', '=', key)
        .where('value', '=', value)
        .execute();
    }
    await trx
      .deleteFrom('issueHourlyCounts')
      .where('issueId', '=', issueId)
      .where('count', '<=', 0)
      .execute();
    await trx
      .deleteFrom('issueTagValues')
      .where('issueId', '=', issueId)
      .where('timesSeen', '<=', 0)
      .execute();

    await trx
      .updateTable('issues')
      .set({
        timesSeen: sql`CASE WHEN times_seen > ${issueEvents.length} THEN times_seen - ${issueEvents.length} ELSE ${Number(remaining.count)} END`,
        userCount: sql`(SELECT count(*) FROM issue_tag_values WHERE issue_tag_values.issue_id = issues.id AND issue_tag_values.key = 'user')`,
        firstSeen: Number(remaining.firstSeen),
        lastSeen: Number(remaining.lastSeen),
      })
      .where('id', '=', issueId)
      .execute();
    updated += 1;
  }

  for (let start = 0; start < emptyIssueIds.length; start += IDS_PER_QUERY) {
    const batch = emptyIssueIds.slice(start, start + IDS_PER_QUERY);
    await trx.deleteFrom('issueHashes').where('issueId', 'in', batch).execute();
    await trx.deleteFrom('issues').where('id', 'in', batch).execute();
  }
  return { updated, deleted: emptyIssueIds.length };
}

/**
 * Deletes the person's feedback and user reports (those they sent, and those about their
 * deleted events), and returns the ids of the deleted feedback events.
 */
async function deleteFeedback(
  trx: Kysely<Database>,
  projectIds: readonly number[],
  deletedEventIds: ReadonlySet<string>,
  match: UserMatch,
): Promise<{ count: number; feedbackEvents: { projectId: number; eventId: string }[] }> {
  const columns = [
    'id',
    'projectId',
    'kind',
    'feedbackEventId',
    'eventId',
    'email',
    'user',
  ] as const;
  // LIKE only narrows the candidates down; userMatches decides on the parsed `user`.
  const patterns = [match.userId, match.email]
    .filter((value) => value !== undefined)
    .map((value) => `%${value.toLowerCase()}%`);
  const candidates = await trx
    .selectFrom('userFeedback')
    .select(columns)
    .where('projectId', 'in', projectIds)
    .where((eb) =>
      eb.or([
        ...(match.email === undefined ? [] : [eb(eb.fn('lower', ['email']), '=', match.email)]),
        ...patterns.map((pattern) => eb(eb.fn('lower', ['user']), 'like', pattern)),
      ]),
    )
    .execute();
  for (const [key, group] of groupBy([...deletedEventIds], (id) => id.split(':')[0] ?? '')) {
    const eventIds = group.map((id) => id.slice(key.length + 1));
    for (let start = 0; start < eventIds.length; start += IDS_PER_QUERY) {
      candidates.push(
        ...(await trx
          .selectFrom('userFeedback')
          .select(columns)
          .where('projectId', '=', Number(key))
          .where('eventId', 'in', eventIds.slice(start, start + IDS_PER_QUERY))
          .execute()),
      );
    }
  }
  const matched = candidates.filter((row) => {
    if (row.eventId !== null && deletedEventIds.has(`${row.projectId}:${row.eventId}`)) {
      return true;
    }
    if (match.email !== undefined && row.email.trim().toLowerCase() === match.email) {
      return true;
    }
    try {
      return row.user !== null && userMatches(JSON.parse(row.user), match);
    } catch {
      return false;
    }
  });

  const ids = [...new Set(matched.map((row) => Number(row.id)))];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    await trx
      .deleteFrom('userFeedback')
      .where('id', 'in', ids.slice(start, start + IDS_PER_QUERY))
      .execute();
  }
  return {
    count: ids.length,
    // A user report's key is the id of the event it reports on, which may be another user's.
    feedbackEvents: matched
      .filter((row) => row.kind === 'feedback')
      .map((row) => ({
        projectId: Number(row.projectId),
        eventId: row.feedbackEventId,
      })),
  };
}

/**
 * Deletes every stored item of one person in the given projects, in one transaction. That is
 * the error events and transactions whose user id or e-mail matches, with their spans and
 * attachments, the person's feedback and user reports, and the release-health users recorded
 * under that id or e-mail. Affected issues are recounted, and issues left without events are
 * deleted.
 */
export async function deleteUserData(
  trx: Kysely<Database>,
  projectIds: readonly number[],
  match: UserMatch,
): Promise<UserDataDeletion> {
  const events = await loadEvents(trx, await findUserRows(trx, 'events', projectIds, match));
  const transactionIds = await findUserRows(trx, 'transactions', projectIds, match);

  const transactions: { projectId: number; eventId: string }[] = [];
  for (let start = 0; start < transactionIds.length; start += IDS_PER_QUERY) {
    const rows = await trx
      .deleteFrom('transactions')
      .where('id', 'in', transactionIds.slice(start, start + IDS_PER_QUERY))
      .returning(['projectId', 'eventId'])
      .execute();
    transactions.push(
      ...rows.map((row) => ({ projectId: Number(row.projectId), eventId: row.eventId })),
    );
  }
  let spans = 0;
  for (const [projectId, rows] of groupBy(transactions, (row) => row.projectId)) {
    const eventIds = rows.map((row) => row.eventId);
    for (let start = 0; start < eventIds.length; start += IDS_PER_QUERY) {
      const deleted = await trx
        .deleteFrom('spans')
        .where('projectId', '=', projectId)
        .where('transactionEventId', 'in', eventIds.slice(start, start + IDS_PER_QUERY))
        .executeTakeFirst();
      spans += Number(deleted.numDeletedRows);
    }
  }

  const deletedEventIds = new Set(events.map((event) => `${event.projectId}:${event.eventId}`));
  const feedback = await deleteFeedback(trx, projectIds, deletedEventIds, match);

  const blobKeys: string[] = [];
  const attachmentOwners = [
    ...events.map((event) => ({ projectId: event.projectId, eventId: event.eventId })),
    ...transactions,
    ...feedback.feedbackEvents,
  ];
  for (const [projectId, owners] of groupBy(attachmentOwners, (owner) => owner.projectId)) {
    blobKeys.push(
      ...(await deleteAttachmentRows(
        trx,
        projectId,
        owners.map((owner) => owner.eventId),
      )),
    );
  }

  const eventRowIds = events.map((event) => event.id);
  for (let start = 0; start < eventRowIds.length; start += IDS_PER_QUERY) {
    await trx
      .deleteFrom('events')
      .where('id', 'in', eventRowIds.slice(start, start + IDS_PER_QUERY))
      .execute();
  }
  const issues = await recountIssues(trx, events);

  const distinctIds = [match.userId, match.email].filter((value) => value !== undefined);
  const sessionUsers = await trx
    .deleteFrom('releaseUsers')
    .where('projectId', 'in', projectIds)
    .where('distinctId', 'in', distinctIds)
    .executeTakeFirst();

  return {
    projects: projectIds.length,
    events: events.length,
    transactions: transactions.length,
    spans,
    attachments: blobKeys.length,
    feedback: feedback.count,
    sessionUsers: Number(sessionUsers.numDeletedRows),
    issuesUpdated: issues.updated,
    issuesDeleted: issues.deleted,
    blobKeys,
  };
}
