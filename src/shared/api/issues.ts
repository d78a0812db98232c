import type { EventTag, EventUser } from './events.js';

/**
 * Wire types of Picket's issue endpoints, in the shapes of Sentry's
 * `/api/0/organizations/{org}/issues/` responses.
 */

export type IssueLevel = 'fatal' | 'error' | 'warning' | 'info' | 'debug' | 'sample';

export type IssueStatus = 'resolved' | 'unresolved' | 'ignored';

/** Sort orders of the issue list: last seen, first seen and event count. */
export type IssueSort = 'date' | 'new' | 'freq';

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
  substatus: string | null;
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
  assignedTo: null;
  isUnhandled: boolean;
  hasSeen: boolean;
}

/** Body of `PUT /api/0/organizations/{org}/issues/{id}/`. */
export interface IssueUpdateRequest {
  status: IssueStatus;
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
