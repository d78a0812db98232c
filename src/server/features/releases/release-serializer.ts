import type {
  Release,
  ReleaseAuthor,
  ReleaseCommit,
  ReleaseDeploy,
  ReleaseHealthData,
  ReleaseProject,
  ReleaseVersionInfo,
} from '../../../shared/api/releases.js';
import type { HealthTotals, ReleaseProjectRecord, ReleaseRecord } from './release-repository.js';
import { shortenVersion } from './release-version.js';
import type { CommitRecord, DeployRecord } from './release-write-repository.js';

export interface ReleaseDetails {
  projects: ReleaseProjectRecord[];
  newIssues: Map<string, number>;
  health: Map<string, HealthTotals>;
  withHealthData: boolean;
  /** Commits in their stored order and deploys newest first, of any releases. */
  commits?: CommitRecord[];
  deploys?: DeployRecord[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Serializes a release with its projects as Sentry's release endpoints do. */
export function serializeRelease(release: ReleaseRecord, details: ReleaseDetails): Release {
  const projects = details.projects
    .filter((project) => project.releaseId === release.id)
    .map((project) => serializeReleaseProject(release, project, details));
  const commits = (details.commits ?? []).filter((commit) => commit.releaseId === release.id);
  const deploys = (details.deploys ?? []).filter((deploy) => deploy.releaseId === release.id);
  const firstCommit = commits[0];
  const firstDeploy = deploys[0];

  return {
    id: release.id,
    version: release.version,
    shortVersion: shortenVersion(release.version),
    versionInfo: describeVersion(release.version),
    status: 'open',
    ref: release.ref,
    url: release.url,
    dateCreated: new Date(release.dateCreated).toISOString(),
    dateReleased: iso(release.dateReleased === null ? null : Number(release.dateReleased)),
    firstEvent: iso(release.firstEvent),
    lastEvent: iso(release.lastEvent),
    newGroups: projects.reduce((sum, project) => sum + project.newGroups, 0),
    data: {},
    owner: null,
    commitCount: commits.length,
    lastCommit: firstCommit === undefined ? null : serializeCommit(firstCommit, release),
    deployCount: deploys.length,
    lastDeploy: firstDeploy === undefined ? null : serializeDeploy(firstDeploy),
    authors: listAuthors(commits),
    projects,
    currentProjectMeta: {},
    userAgent: null,
  };
}

function serializeReleaseProject(
  release: ReleaseRecord,
  project: ReleaseProjectRecord,
  details: ReleaseDetails,
): ReleaseProject {
  const totals = details.health.get(`${release.id}|${project.projectId}`);
  const hasHealthData = totals !== undefined && totals.sessions > 0;

  return {
    id: project.projectId,
    slug: project.slug,
    name: project.name,
    platform: project.platform,
    platforms: project.platform === null ? [] : [project.platform],
    newGroups: details.newIssues.get(`${project.projectId}|${release.version}`) ?? 0,
    hasHealthData,
    healthData: details.withHealthData ? computeHealthData(totals) : null,
  };
}

/**
 * Turns session totals into Sentry's health fields. Crash-free rates are percentages, and
 * `sessionsErrored` leaves out the crashed and abnormal sessions, which the stored errored
 * count includes.
 */
export function computeHealthData(totals: HealthTotals | undefined): ReleaseHealthData {
  const value = totals ?? {
    sessions: 0,
    errored: 0,
    crashed: 0,
    abnormal: 0,
    unhandled: 0,
    users: 0,
    crashedUsers: 0,
  };

  return {
    hasHealthData: value.sessions > 0,
    crashFreeSessions: crashFreeRate(value.crashed, value.sessions),
    crashFreeUsers: crashFreeRate(value.crashedUsers, value.users),
    totalSessions: value.sessions,
    totalUsers: value.users,
    sessionsCrashed: value.crashed,
    sessionsErrored: Math.max(0, value.errored - value.crashed - value.abnormal),
    sessionsAbnormal: value.abnormal,
    durationP50: null,
    durationP90: null,
    adoption: null,
    sessionsAdoption: null,
  };
}

function crashFreeRate(failed: number, total: number): number | null {
  if (total <= 0) {
    return null;
  }
  // A crash update can arrive for a session whose first update is no longer stored.
  return Math.min(100, Math.max(0, 100 - (100 * failed) / total));
}

function describeVersion(version: string): ReleaseVersionInfo {
  const at = version.indexOf('@');
  const hasPackage = at > 0 && at < version.length - 1;
  const raw = hasPackage ? version.slice(at + 1) : version;

  return {
    package: hasPackage ? version.slice(0, at) : null,
    version: { raw },
    description: shortenVersion(version),
    buildHash: /^[0-9a-f]{40}$/i.test(raw) ? raw : null,
  };
}

export function serializeDeploy(deploy: DeployRecord): ReleaseDeploy {
  return {
    id: String(deploy.id),
    environment: deploy.environment,
    name: deploy.name,
    url: deploy.url,
    dateStarted: iso(deploy.dateStarted === null ? null : Number(deploy.dateStarted)),
    dateFinished: new Date(Number(deploy.dateFinished)).toISOString(),
  };
}

/** Serializes a commit. One sent without a timestamp gets the release's creation date. */
export function serializeCommit(commit: CommitRecord, release: ReleaseRecord): ReleaseCommit {
  return {
    id: commit.sha,
    message: commit.message,
    dateCreated: new Date(
      commit.timestamp === null ? release.dateCreated : Number(commit.timestamp),
    ).toISOString(),
    repository:
      commit.repository === null ? null : { id: commit.repository, name: commit.repository },
    author: commitAuthor(commit),
  };
}

function commitAuthor(commit: CommitRecord): ReleaseAuthor | null {
  if (commit.authorEmail === null && commit.authorName === null) {
    return null;
  }
  const email = commit.authorEmail ?? '';
  return { id: null, name: commit.authorName ?? email, email };
}

/** Lists the distinct authors of the commits, by email, in commit order. */
function listAuthors(commits: CommitRecord[]): ReleaseAuthor[] {
  const authors = new Map<string, ReleaseAuthor>();
  for (const commit of commits) {
    const author = commitAuthor(commit);
    if (author !== null && !authors.has(author.email || author.name)) {
      authors.set(author.email || author.name, author);
    }
  }
  return [...authors.values()];
}
