import type { Generated } from 'kysely';

/** Tables of the issue workflow, saved searches, issue charts and grouping rules. */
export interface IssueWorkflowTables {
  issueHourlyCounts: IssueHourlyCountsTable;
  issueBookmarks: IssueBookmarksTable;
  issueSubscriptions: IssueSubscriptionsTable;
  issueSeen: IssueSeenTable;
  issueActivity: IssueActivityTable;
  issueTombstones: IssueTombstonesTable;
  savedSearches: SavedSearchesTable;
  projectGroupingRules: ProjectGroupingRulesTable;
}

/** Events stored per issue and hour (`hour` is epoch milliseconds at the start of the hour). */
export interface IssueHourlyCountsTable {
  issueId: number;
  hour: number;
  count: number;
}

export interface IssueBookmarksTable {
  issueId: number;
  userId: number;
  createdAt: number;
}

/** A user's explicit choice (`isSubscribed` 1 or 0) or an implied one, with Sentry's reason. */
export interface IssueSubscriptionsTable {
  issueId: number;
  userId: number;
  isSubscribed: number;
  /** Sentry's reason: `unknown`, `comment`, `assigned`, `bookmark`, `status_change`, ... */
  reason: string;
  createdAt: number;
}

/** When a user last opened an issue. */
export interface IssueSeenTable {
  issueId: number;
  userId: number;
  lastSeen: number;
}

/**
 * One entry of an issue's timeline, with Sentry's activity `type` (`note` for a comment,
 * `set_resolved`, `set_ignored`, `assigned`, `merge`, ...) and its data as JSON.
 */
export interface IssueActivityTable {
  id: Generated<number>;
  issueId: number;
  projectId: number;
  /** Who acted; null for Picket itself (a regression, for example). */
  userId: number | null;
  type: string;
  data: string;
  createdAt: number;
}

/** A hash whose future events are dropped, left behind by "delete and discard". */
export interface IssueTombstonesTable {
  id: Generated<number>;
  projectId: number;
  hash: string;
  /** Title of the discarded issue, for the list of discarded issues. */
  title: string;
  userId: number | null;
  createdAt: number;
}

/** A saved issue search: the owner's own when `ownerUserId` is set, else the organization's. */
export interface SavedSearchesTable {
  id: Generated<number>;
  organizationId: number;
  ownerUserId: number | null;
  name: string;
  query: string;
  sort: string;
  /** `owner` or `organization`, as Sentry names them. */
  visibility: string;
  createdAt: number;
}

/** A project's stack-trace rules and fingerprint rules, in Sentry's text syntax. */
export interface ProjectGroupingRulesTable {
  projectId: number;
  enhancements: string;
  fingerprinting: string;
  updatedAt: number;
}
