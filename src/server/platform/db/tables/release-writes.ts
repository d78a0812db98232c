import type { Generated } from 'kysely';

/** Tables that the release API of sentry-cli writes: deploys and commits. */
export interface ReleaseWriteTables {
  releaseDeploys: ReleaseDeploysTable;
  releaseCommits: ReleaseCommitsTable;
}

/** A deploy of a release to one environment. `projectIds` is a JSON array of project ids. */
export interface ReleaseDeploysTable {
  id: Generated<number>;
  releaseId: number;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: number | null;
  dateFinished: number;
  projectIds: string;
}

/**
 * A commit of a release, in the order the client sent them (`position` 0 is the newest).
 * `repository` is the repository name the client gave, with no integration behind it.
 */
export interface ReleaseCommitsTable {
  releaseId: number;
  position: number;
  sha: string;
  repository: string | null;
  message: string | null;
  authorName: string | null;
  authorEmail: string | null;
  timestamp: number | null;
}
