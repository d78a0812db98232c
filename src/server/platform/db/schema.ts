import type { Generated } from 'kysely';

import type { AlertTables } from './tables/alerts.js';
import type { ArtifactTables } from './tables/artifacts.js';
import type { FeedbackTables } from './tables/feedback.js';
import type { FilterTables } from './tables/filters.js';
import type { IngestControlTables } from './tables/ingest-controls.js';
import type { IssueWorkflowTables } from './tables/issue-workflow.js';
import type { LogTables } from './tables/logs.js';
import type { PayloadDictionaryTables } from './tables/payload-dictionaries.js';
import type { PerformanceTables } from './tables/performance.js';
import type { ReleaseHealthTables } from './tables/release-health.js';
import type { ReleaseWriteTables } from './tables/release-writes.js';
import type { RetentionTables } from './tables/retention.js';
import type { SecurityTables } from './tables/security.js';

/**
 * Tables as typed for Kysely with `CamelCasePlugin`: columns are snake_case in SQL.
 * Times are epoch milliseconds, flags are 0 or 1, JSON is stored as text, so that one schema
 * reads the same on SQLite and PostgreSQL. The tables of later features are declared in
 * `tables/`, one file per feature.
 */
export interface Database
  extends
    PerformanceTables,
    ReleaseHealthTables,
    ReleaseWriteTables,
    FeedbackTables,
    LogTables,
    IngestControlTables,
    FilterTables,
    IssueWorkflowTables,
    ArtifactTables,
    SecurityTables,
    RetentionTables,
    PayloadDictionaryTables,
    AlertTables {
  users: UsersTable;
  userSessions: UserSessionsTable;
  apiTokens: ApiTokensTable;
  organizations: OrganizationsTable;
  organizationMembers: OrganizationMembersTable;
  teams: TeamsTable;
  teamMembers: TeamMembersTable;
  projects: ProjectsTable;
  projectTeams: ProjectTeamsTable;
  projectKeys: ProjectKeysTable;
  issues: IssuesTable;
  issueHashes: IssueHashesTable;
  issueTagValues: IssueTagValuesTable;
  events: EventsTable;
  outcomes: OutcomesTable;
  ingestQueue: IngestQueueTable;
  workerState: WorkerStateTable;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  passwordHash: string;
  isSuperuser: number;
  createdAt: number;
  /** 0 for a deactivated user, who cannot log in or use tokens. */
  isActive: Generated<number>;
  passwordChangedAt: number | null;
  lastLoginAt: number | null;
}

export interface UserSessionsTable {
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  /** `password` until the second factor is verified, then `complete`. */
  authLevel: Generated<string>;
  /** When the password or a second factor was last entered in this session. */
  lastAuthAt: number | null;
  ipAddress: string | null;
  userAgent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  userId: number;
  name: string;
  tokenHash: string;
  tokenLastCharacters: string;
  scopes: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  /** Set for organization tokens (`kind` `org`), which act only inside that organization. */
  organizationId: number | null;
  /** `user` (`sntryu_` prefix) or `org` (`sntrys_` prefix). */
  kind: Generated<string>;
}

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  createdAt: number;
  /** 1 when every member must have a second factor. */
  requireTwoFactor: Generated<number>;
  /** 1 when any member may join any team (Sentry's open membership, the default). */
  openMembership: Generated<number>;
  defaultRole: Generated<string>;
}

export interface OrganizationMembersTable {
  id: Generated<number>;
  organizationId: number;
  userId: number;
  role: string;
  createdAt: number;
}

export interface TeamsTable {
  id: Generated<number>;
  organizationId: number;
  slug: string;
  name: string;
  createdAt: number;
}

export interface TeamMembersTable {
  teamId: number;
  memberId: number;
  /** Sentry's team role: `contributor` or `admin`. */
  role: Generated<string>;
}

export interface ProjectsTable {
  id: Generated<number>;
  organizationId: number;
  slug: string;
  name: string;
  platform: string | null;
  createdAt: number;
  firstEventAt: number | null;
  nextShortId: number;
  /** Events kept at most; the retention job deletes the oldest above it. Null for no cap. */
  maxEvents: Generated<number | null>;
}

export interface ProjectTeamsTable {
  projectId: number;
  teamId: number;
}

export interface ProjectKeysTable {
  id: Generated<number>;
  projectId: number;
  publicKey: string;
  secretKey: string;
  label: string;
  isActive: number;
  createdAt: number;
  /** Events the key may send per `rateLimitWindow` seconds; null for no limit. */
  rateLimitCount: number | null;
  rateLimitWindow: number | null;
  /** JSON array of the origins browsers may send from (`*`, `example.com`, `*.example.com`). */
  allowedDomains: Generated<string>;
}

export interface IssuesTable {
  id: Generated<number>;
  projectId: number;
  shortIdNumber: number;
  title: string;
  culprit: string;
  type: string;
  level: string;
  status: string;
  substatus: string | null;
  platform: string;
  metadata: string;
  firstSeen: number;
  lastSeen: number;
  timesSeen: number;
  userCount: number;
  resolvedAt: number | null;
  firstRelease: string | null;
  lastRelease: string | null;
  /**
   * JSON of Sentry's `statusDetails` for the current status: `inRelease`, `inNextRelease`
   * (with the release that was latest when resolved), `ignoreCount`, `ignoreWindow`,
   * `ignoreUserCount`, `ignoreUserWindow`, `ignoreUntil`, plus the counters they start from.
   */
  statusDetails: string | null;
  assigneeUserId: number | null;
  assigneeTeamId: number | null;
}

export interface IssueHashesTable {
  id: Generated<number>;
  projectId: number;
  hash: string;
  issueId: number;
}

export interface IssueTagValuesTable {
  issueId: number;
  key: string;
  value: string;
  timesSeen: number;
  firstSeen: number;
  lastSeen: number;
}

export interface EventsTable {
  id: Generated<number>;
  projectId: number;
  issueId: number;
  eventId: string;
  timestamp: number;
  receivedAt: number;
  type: string;
  level: string;
  platform: string;
  title: string;
  release: string | null;
  environment: string | null;
  traceId: string | null;
  userTag: string | null;
  /** The normalized event as JSON, compressed with deflate (against the dictionary, if any). */
  payload: Buffer;
  size: number;
  /** The preset dictionary `payload` was compressed with; null for plain deflate. */
  payloadDictionaryId: number | null;
  /** The event's first grouping hash, which unmerge moves events by. */
  primaryHash: string | null;
  /**
   * The event's tags as `\nkey=value\n...`, so that the events of one issue can be searched
   * by tag with LIKE without reading payloads.
   */
  tagLine: string | null;
}

export interface OutcomesTable {
  projectId: number;
  hour: number;
  outcome: string;
  reason: string;
  category: string;
  quantity: number;
}

export interface IngestQueueTable {
  id: Generated<number>;
  projectId: number;
  kind: string;
  receivedAt: number;
  body: string;
}

export interface WorkerStateTable {
  key: string;
  value: number;
}
