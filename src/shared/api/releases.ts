/**
 * Wire types of Picket's release endpoints, in the shapes of Sentry's
 * `/api/0/organizations/{org}/releases/` responses.
 */

/**
 * Session health of a release in one project. Rates are percentages from 0 to 100, null when
 * the project sent no sessions (or no users) for the release.
 */
export interface ReleaseHealthData {
  hasHealthData: boolean;
  crashFreeSessions: number | null;
  crashFreeUsers: number | null;
  totalSessions: number;
  totalUsers: number;
  sessionsCrashed: number;
  /** Errored sessions that neither crashed nor ended abnormally. */
  sessionsErrored: number;
  sessionsAbnormal: number;
  durationP50: null;
  durationP90: null;
  adoption: null;
  sessionsAdoption: null;
}

export interface ReleaseProject {
  /** A number, as Sentry sends project ids in releases. */
  id: number;
  slug: string;
  name: string;
  platform: string | null;
  platforms: string[];
  newGroups: number;
  hasHealthData: boolean;
  /** Present with `health=1`; null otherwise. */
  healthData: ReleaseHealthData | null;
}

export interface ReleaseVersionInfo {
  package: string | null;
  version: { raw: string };
  description: string;
  buildHash: string | null;
}

export interface Release {
  id: number;
  version: string;
  shortVersion: string;
  versionInfo: ReleaseVersionInfo;
  status: 'open';
  ref: string | null;
  url: string | null;
  /** ISO 8601 timestamps. */
  dateCreated: string;
  dateReleased: string | null;
  firstEvent: string | null;
  lastEvent: string | null;
  /** Issues first seen in this release, over all its projects. */
  newGroups: number;
  data: Record<string, never>;
  owner: null;
  commitCount: number;
  lastCommit: ReleaseCommit | null;
  deployCount: number;
  lastDeploy: ReleaseDeploy | null;
  authors: ReleaseAuthor[];
  projects: ReleaseProject[];
  currentProjectMeta: Record<string, never>;
  userAgent: null;
}

/** A deploy of a release to an environment, as Sentry's deploy endpoints return it. */
export interface ReleaseDeploy {
  id: string;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: string | null;
  dateFinished: string;
}

/** A commit author. `id` is null because Picket links no user account to an author. */
export interface ReleaseAuthor {
  id: null;
  name: string;
  email: string;
}

export interface ReleaseCommit {
  id: string;
  message: string | null;
  dateCreated: string;
  repository: { id: string; name: string } | null;
  author: ReleaseAuthor | null;
}
