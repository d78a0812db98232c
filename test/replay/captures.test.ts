/**
 * Replays requests that real Sentry clients sent (test/fixtures/sdk-captures: @sentry/node,
 * @sentry/browser, sentry-python, sentry-ruby, sentry-cli) against a running Picket, then reads
 * every error and message event back through the web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { latestEvent, listIssues, waitForEvent } from '../live/api.js';
import type { ApiEvent, ApiIssue } from '../live/sentry-event.js';
import { findIssue } from '../live/sentry-event.js';
import type { Capture, ReplayResponse, ReplayTarget } from './captures.js';
import { capturedErrorEvent, expectedResponseId, loadCaptures, replayCapture } from './captures.js';
import type { ExpectedEvent } from './expected-event.js';
import { expectedEvent, expectEventMatches } from './expected-event.js';

// The replayed requests come from this address, which Sentry puts in place of `{{auto}}`.
const SENDER_ADDRESS = '127.0.0.1';
const EVENT_WAIT_MS = 30_000;

const captures = loadCaptures();
const errorCaptures = captures
  .map((capture) => ({ capture, payload: capturedErrorEvent(capture) }))
  .filter((entry): entry is { capture: Capture; payload: Record<string, unknown> } => {
    return entry.payload !== undefined;
  })
  .map(({ capture, payload }) => ({
    label: capture.label,
    expected: expectedEvent(payload, SENDER_ADDRESS),
  }));

let picket: PicketInstance | undefined;
let project: TestProject;
const responses = new Map<string, ReplayResponse | Error>();
const storedEvents = new Map<string, ApiEvent>();
let issues: ApiIssue[] | Error = [];

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket);

  const target: ReplayTarget = {
    baseUrl: picket.url,
    projectId: String(project.projectId),
    publicKey: project.publicKey,
    dsn: project.dsn,
    apiToken: project.token,
  };

  // In arrival order, one at a time, as the clients sent them.
  for (const capture of captures) {
    try {
      responses.set(capture.label, await replayCapture(capture, target));
    } catch (error) {
      responses.set(capture.label, error as Error);
    }
  }

  // Processing is asynchronous: wait until every accepted event can be read.
  const deadline = Date.now() + EVENT_WAIT_MS;
  for (const { label, expected } of errorCaptures) {
    const response = responses.get(label);
    if (response instanceof Error || response?.status !== 200) {
      continue;
    }
    try {
      const remainingMs = Math.max(deadline - Date.now(), 1);
      storedEvents.set(label, await waitForEvent(picket, project, expected.eventId, remainingMs));
    } catch {
      // Reported by the event read-back test of this capture.
    }
  }

  try {
    issues = await listIssues(picket, project);
  } catch (error) {
    issues = error as Error;
  }
});

afterAll(async () => {
  await picket?.stop();
});

describe('SDK capture replay', () => {
  it.each(captures.map((capture) => [capture.label, capture] as const))(
    '%s is accepted',
    (label, capture) => {
      const response = responses.get(label);
      if (response instanceof Error) {
        throw response;
      }
      expect(response?.status, `status; body: ${response?.text}`).toBe(200);

      const id = expectedResponseId(capture);
      if (id !== undefined) {
        expect((response?.json as { id?: unknown } | undefined)?.id, 'response id').toBe(id);
      }
    },
  );

  it.each(errorCaptures.map(({ label, expected }) => [label, expected] as const))(
    '%s reads back as an event',
    (label, expected) => {
      const event = storedEvents.get(label);
      expect(event, `event ${expected.eventId} readable within ${EVENT_WAIT_MS} ms`).toBeDefined();
      expectEventMatches(event!, expected);
    },
  );

  it.each(errorCaptures.map(({ label, expected }) => [label, expected] as const))(
    '%s issue is listed',
    (label, expected) => {
      const event = storedEvents.get(label);
      expect(event, `event ${expected.eventId} readable`).toBeDefined();

      if (issues instanceof Error) {
        throw issues;
      }
      const issue = findIssue(issues, event!.groupID);
      expect(issue, `issue ${event!.groupID} in the issue list`).toBeDefined();
      expect(issue!.project?.slug, 'issue project').toBe(project.projectSlug);
      expect(Number(issue!.count), 'issue count').toBeGreaterThanOrEqual(1);
      if (expected.title !== undefined) {
        expect(issue!.title, 'issue title').toBe(expected.title);
      }
      const main = expected.exceptions.at(-1);
      if (main !== undefined && !main.synthetic) {
        expect(issue!.metadata?.type, 'issue metadata.type').toBe(main.type);
        expect(issue!.metadata?.value, 'issue metadata.value').toBe(main.value);
      }
    },
  );

  it.each(errorCaptures.map(({ label, expected }) => [label, expected] as const))(
    '%s issue has latest event',
    async (label, expected) => {
      const event = storedEvents.get(label);
      expect(event, `event ${expected.eventId} readable`).toBeDefined();

      // The latest event of an issue is the one with the newest timestamp among the replayed
      // events that landed in the same issue.
      const sameIssue: ExpectedEvent[] = errorCaptures
        .filter((entry) => storedEvents.get(entry.label)?.groupID === event!.groupID)
        .map((entry) => entry.expected);
      const newest = Math.max(...sameIssue.map((candidate) => candidate.timestampMs));
      const newestIds = sameIssue
        .filter((candidate) => candidate.timestampMs === newest)
        .map((candidate) => candidate.eventId);

      const latest = await latestEvent(picket!, project, event!.groupID);
      expect(newestIds, 'latest event id').toContain(latest.eventID);
      expect(latest.groupID, 'latest event groupID').toBe(event!.groupID);
      expectEventMatches(
        latest,
        sameIssue.find((item) => item.eventId === latest.eventID)!,
      );
    },
  );
});
