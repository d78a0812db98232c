/** Web API reads shared by the replay and live SDK tests. */
import type { Release, ReleaseHealthData } from '../../src/shared/api/releases.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, waitFor } from '../helpers/picket.js';
import type { ApiEvent, ApiIssue } from './sentry-event.js';

/**
 * Polls the project's event endpoint until the event is stored. Ingest responds before the
 * worker has processed the event, so the endpoint returns 404 for a fresh event id at first.
 */
export function waitForEvent(
  picket: PicketInstance,
  project: TestProject,
  eventId: string,
  timeoutMs: number,
): Promise<ApiEvent> {
  const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`;
  return waitFor(async () => (await apiGet(picket, project.token, path)) as ApiEvent, timeoutMs);
}

/** Lists every issue of the organization, whatever its status (`query=` with no filter). */
export async function listIssues(
  picket: PicketInstance,
  project: TestProject,
): Promise<ApiIssue[]> {
  const path = `/api/0/organizations/${project.orgSlug}/issues/?query=&limit=100`;
  return (await apiGet(picket, project.token, path)) as ApiIssue[];
}

export async function latestEvent(
  picket: PicketInstance,
  project: TestProject,
  issueId: string,
): Promise<ApiEvent> {
  const path = `/api/0/organizations/${project.orgSlug}/issues/${issueId}/events/latest/`;
  return (await apiGet(picket, project.token, path)) as ApiEvent;
}

/**
 * Polls a release of the organization until `ready` accepts it, and returns it. Session items
 * are stored by the worker after ingest has responded, so health data arrives late.
 */
export function waitForRelease<T = Release>(
  picket: PicketInstance,
  project: TestProject,
  version: string,
  ready: (release: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const path = `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/`;
  return waitFor(async () => {
    const release = (await apiGet(picket, project.token, path)) as T;
    return ready(release) ? release : undefined;
  }, timeoutMs);
}

/** Polls a release until `ready` accepts the health data of its first project, and returns that data. */
export async function waitForHealthData(
  picket: PicketInstance,
  project: TestProject,
  version: string,
  ready: (health: ReleaseHealthData) => boolean,
  timeoutMs: number,
): Promise<ReleaseHealthData> {
  const release = await waitForRelease(
    picket,
    project,
    version,
    (candidate) => {
      const health = candidate.projects[0]?.healthData;
      return health !== undefined && health !== null && ready(health);
    },
    timeoutMs,
  );
  return release.projects[0]!.healthData!;
}
