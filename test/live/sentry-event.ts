/**
 * Readers and expectations for events and issues in the shapes of Sentry's web API
 * (`/api/0/.../events/{id}/`, `/api/0/organizations/{org}/issues/`), shared by the replay and
 * live SDK tests.
 */
import { expect } from 'vitest';

export interface ApiFrame {
  filename?: string | null;
  absPath?: string | null;
  function?: string | null;
  inApp?: boolean | null;
}

export interface ApiException {
  type?: string | null;
  value?: string | null;
  mechanism?: { type?: string; handled?: boolean | null } | null;
  stacktrace?: { frames?: ApiFrame[] } | null;
}

export interface ApiEvent {
  eventID: string;
  groupID: string;
  title?: string;
  message?: string;
  tags?: { key: string; value: string }[];
  user?: Record<string, unknown> | null;
  /** Sentry returns a release object, and a plain version string is accepted as well. */
  release?: { version?: string } | string | null;
  environment?: string | null;
  entries?: { type: string; data: Record<string, unknown> }[];
}

export interface ApiIssue {
  id: string;
  title: string;
  count: string;
  metadata?: { type?: string; value?: string; title?: string };
  project?: { slug?: string };
}

/** An in-app frame reduced to the fields the tests compare. */
export interface FrameSummary {
  filename: string | null;
  absPath: string | null;
  function: string | null;
}

export function exceptionValues(event: ApiEvent): ApiException[] {
  const entry = event.entries?.find((candidate) => candidate.type === 'exception');
  return (entry?.data.values as ApiException[] | undefined) ?? [];
}

export function inAppFrames(exception: ApiException): FrameSummary[] {
  return (exception.stacktrace?.frames ?? [])
    .filter((frame) => frame.inApp === true)
    .map((frame) => ({
      filename: frame.filename ?? null,
      absPath: frame.absPath ?? null,
      function: frame.function ?? null,
    }));
}

/** Returns the formatted text of the event's `message` entry, if it has one. */
export function messageText(event: ApiEvent): string | undefined {
  const entry = event.entries?.find((candidate) => candidate.type === 'message');
  const formatted = entry?.data.formatted;
  return typeof formatted === 'string' ? formatted : undefined;
}

export function tagValue(event: ApiEvent, key: string): string | undefined {
  return event.tags?.find((tag) => tag.key === key)?.value;
}

export function releaseVersion(event: ApiEvent): string | undefined {
  if (typeof event.release === 'string') {
    return event.release;
  }
  return event.release?.version ?? undefined;
}

/**
 * Asserts the release and environment of an event: Sentry reports both as tags, and the
 * release also as the event's `release` object. Soft assertions, so one run lists every
 * mismatch.
 */
export function expectReleaseAndEnvironment(
  event: ApiEvent,
  release: string,
  environment: string,
): void {
  expect.soft(releaseVersion(event), 'event release').toBe(release);
  expect.soft(tagValue(event, 'release'), 'release tag').toBe(release);
  expect.soft(tagValue(event, 'environment'), 'environment tag').toBe(environment);
  if (event.environment !== undefined) {
    expect.soft(event.environment, 'event environment').toBe(environment);
  }
}

export function findIssue(issues: ApiIssue[], issueId: string): ApiIssue | undefined {
  return issues.find((issue) => issue.id === issueId);
}
