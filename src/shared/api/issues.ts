import type { EventTag, EventUser } from './events.js';

/**
 * Wire types of Picket's issue endpoints, in the shapes of Sentry's
 * `/api/0/organizations/{org}/issues/` responses.
 */

export type IssueLevel = 'fatal' | 'error' | 'warning' | 'info' | 'debug' | 'sample';

export type IssueStatus = 'resolved' | 'unresolved' | 'ignored';

/** Sort orders of the issue list: last seen, first seen, events and users. */
export type IssueSort = 'date' | 'new' | 'freq' | 'user';

/**
 * Sentry's substatus: `ongoing`, `new`, `regressed`, `escalating` when unresolved;
 * `archived_until_escalating`, `archived_until_condition_met`, `archived_forever` when ignored.
 */
export type IssueSubstatus =
  | 'ongoing'
  | 'new'
  | 'regressed'
  | 'escalating'
  | 'archived_until_escalating'
  | 'archived_until_condition_met'
  | 'archived_forever';

/** The assignee of an issue, as Sentry's `assignedTo`. */
export interface IssueAssignee {
  type: 'user' | 'team';
  id: string;
  name: string;
  email?: string;
}

/**
 * Sentry's `statusDetails`: empty for plain statuses; for `resolved`, `inNextRelease: true` or
 * `inRelease: "<version>"`; for `ignored`, at most one archive condition: a count of events
 * (`ignoreCount`, optionally within `ignoreWindow` minutes), of users (`ignoreUserCount`,
 * optionally within `ignoreUserWindow` minutes), or a time (`ignoreDuration` minutes on
 * input, `ignoreUntil` ISO time on output). `ignoreUntilEscalating: true` archives until the
 * issue escalates. `actor` names who set the status.
 */
export interface IssueStatusDetails {
  inNextRelease?: boolean;
  inRelease?: string;
  ignoreCount?: number;
  ignoreWindow?: number;
  ignoreUserCount?: number;
  ignoreUserWindow?: number;
  ignoreDuration?: number;
  ignoreUntil?: string;
  ignoreUntilEscalating?: boolean;
  actor?: { id: string; name: string; email: string } | null;
}

/** Events per bucket as `[unix seconds, count]`, oldest first. */
export type IssueStatsSeries = [number, number][];

export interface IssueMetadata {
  type?: string;
  value?: string;
  filename?: string;
  function?: string;
  title?: string;
}

export interface IssueProject {
  id: string;
  name: string;
  slug: string;
  platform: string | null;
}

export interface Issue {
  id: string;
  shortId: string;
  title: string;
  culprit: string | null;
  permalink: string;
  /** Sentry's levels, or another string an SDK sent. */
  level: IssueLevel | (string & {});
  status: IssueStatus;
  substatus: IssueSubstatus | null;
  statusDetails: IssueStatusDetails;
  platform: string | null;
  type: string;
  metadata: IssueMetadata;
  /** Number of events, sent as a string as Sentry does. */
  count: string;
  userCount: number;
  /** ISO 8601 timestamp. */
  firstSeen: string;
  /** ISO 8601 timestamp. */
  lastSeen: string;
  project: IssueProject;
  numComments: number;
  assignedTo: IssueAssignee | null;
  isUnhandled: boolean;
  hasSeen: boolean;
  isBookmarked: boolean;
  isSubscribed: boolean;
  /** Why the user is subscribed (`{reason: 'assigned'}`...), or `{disabled: true}`. */
  subscriptionDetails: { reason?: string; disabled?: boolean } | null;
  /**
   * Charts: the list has one key (`24h` by default, or the list's `groupStatsPeriod`:
   * `24h`, `14d`, `30d`; none when it is empty); the issue page has `24h` (24 hourly points)
   * and `30d` (30 daily points).
   */
  stats?: Partial<Record<'24h' | '14d' | '30d', IssueStatsSeries>>;
  firstRelease: { version: string } | null;
  lastRelease: { version: string } | null;
  /** Only on the issue page: the newest 100 activity entries, newest first. */
  activity?: IssueActivity[];
  /** Only on the issue page: the members who opened the issue, latest first. */
  seenBy?: { id: string; name: string; email: string }[];
  /** Only on the issue page: every member who commented, was assigned or subscribed. */
  participants?: { id: string; name: string; email: string }[];
}

/**
 * Body of `PUT /api/0/organizations/{org}/issues/{id}/` and of the bulk
 * `PUT /api/0/organizations/{org}/issues/?id=1&id=2` (or `?query=...` for every issue matching a
 * search, at most 1,000). Every field is optional. The single update returns the issue,
 * and the bulk update returns the fields applied.
 */
export interface IssueUpdateRequest {
  /** `resolvedInNextRelease` is accepted as a shorthand for resolved with `inNextRelease`. */
  status?: IssueStatus | 'resolvedInNextRelease';
  substatus?: IssueSubstatus | null;
  statusDetails?: IssueStatusDetails;
  /** `"user:<id>"`, `"team:<id>"`, a user's e-mail or username, or `""`/null to unassign. */
  assignedTo?: string | null;
  isBookmarked?: boolean;
  isSubscribed?: boolean;
  hasSeen?: boolean;
  /** `false` marks the issue reviewed: it leaves `is:for_review` and its substatus becomes `ongoing`. */
  inbox?: boolean;
  /** Bulk only: merge the selected issues into the one with the most events. */
  merge?: boolean;
  /** Delete the issue(s) and drop their future events (tombstones for their hashes). */
  discard?: boolean;
}

/** Response of a bulk merge: `{merge: {parent: "12", children: ["13", "14"]}}`. */
export interface IssueMergeResponse {
  merge: { parent: string; children: string[] };
}

/**
 * One entry of an issue's timeline (`GET /api/0/organizations/{org}/issues/{id}/activities/`
 * returns `{activity: IssueActivity[]}`). Types as Sentry's: `note` (a comment, `data.text`),
 * `set_resolved`, `set_resolved_in_release` (`data.version`), `set_unresolved`,
 * `set_ignored` (`data` = the status details), `set_regression` (`data.version`),
 * `assigned` (`data.assignee`, `assigneeType`, `assigneeEmail`), `unassigned`, `merge`
 * (`data.issues`: the merged issues' ids and short ids), `unmerge_source`/`unmerge_destination`
 * (`data.fingerprints`, the moved hashes), `first_seen`, `mark_reviewed`.
 * Comments: `POST .../issues/{id}/comments/` with `{text}` (1 to 10,000 characters) answers 201
 * with the `note` activity; `PUT` and `DELETE .../comments/{activityId}/` edit or delete one's
 * own comment.
 */
export interface IssueActivity {
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** ISO 8601. */
  dateCreated: string;
  user: { id: string; name: string; email: string } | null;
}

/**
 * A saved issue search (`GET/POST /api/0/organizations/{org}/searches/`,
 * `PUT/DELETE .../searches/{id}/`). `visibility: 'owner'` is the creator's own;
 * `'organization'` is shared and needs `org:write` to create, change or delete.
 */
export interface SavedSearch {
  id: string;
  type: 0;
  name: string;
  query: string;
  sort: IssueSort;
  visibility: 'owner' | 'organization';
  isGlobal: false;
  isPinned: boolean;
  dateCreated: string;
}

/** One grouping hash of an issue (`GET .../issues/{id}/hashes/`); unmerge with `DELETE ...?id=`. */
export interface IssueHash {
  id: string;
  latestEvent: { eventID: string; title: string; dateCreated: string } | null;
  mergedBySeer: false;
}

export interface TagValueCount {
  key: string;
  name: string;
  value: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** One tag key of an issue with its most frequent values. */
export interface IssueTag {
  key: string;
  name: string;
  totalValues: number;
  topValues: TagValueCount[];
}

/** An event as listed by `GET /api/0/organizations/{org}/issues/{id}/events/`. */
export interface IssueEventSummary {
  id: string;
  eventID: string;
  dateCreated: string;
  title: string;
  message: string;
  tags: EventTag[];
  user: EventUser | null;
}
