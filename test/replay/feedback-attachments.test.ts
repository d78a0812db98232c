/**
 * Replays the feedback that @sentry/node 11.12.0 sent (test/fixtures/sdk-captures/node: the
 * message event 014 and the `feedback` item 015 about it) and reads the feedback back through
 * the web API. The captures hold no `attachment` item, because none of the recorded clients
 * sent one; test/live/feedback-attachments-sdk.test.ts covers attachments from real SDKs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { waitForEvent } from '../live/api.js';
import type { Capture, ReplayResponse, ReplayTarget } from './captures.js';
import { loadCaptures, replayCapture } from './captures.js';

const ANCHOR = 'node/014-envelope-event-message.json';
const FEEDBACK = 'node/015-envelope-feedback.json';
const EVENT_WAIT_MS = 15_000;

interface ApiFeedback {
  eventID: string;
  name: string;
  email: string;
  comments: string;
  kind: string;
  user: Record<string, unknown> | null;
  issue: { id: string; title: string } | null;
}

let picket: PicketInstance | undefined;
let project: TestProject;
let captures: Map<string, Capture>;
const responses = new Map<string, ReplayResponse>();

function capturedFeedback(): Record<string, unknown> {
  const item = captures.get(FEEDBACK)?.envelope?.items.find((i) => i.header.type === 'feedback');
  const payload = item?.payload as { contexts: { feedback: Record<string, unknown> } };
  return payload.contexts.feedback;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'replayfb');
  captures = new Map(loadCaptures().map((capture) => [capture.label, capture]));

  const target: ReplayTarget = {
    baseUrl: picket.url,
    projectId: String(project.projectId),
    publicKey: project.publicKey,
    dsn: project.dsn,
    apiToken: project.token,
  };
  for (const label of [ANCHOR, FEEDBACK]) {
    const capture = captures.get(label);
    if (capture === undefined) {
      throw new Error(`capture ${label} is missing from test/fixtures/sdk-captures`);
    }
    responses.set(label, await replayCapture(capture, target));
  }
});

afterAll(async () => {
  await picket?.stop();
});

describe('replayed @sentry/node feedback', () => {
  it('returns the event id of the feedback envelope', () => {
    const response = responses.get(FEEDBACK);
    expect(response?.status).toBe(200);
    expect(response?.json).toEqual({ id: captures.get(FEEDBACK)?.envelope?.header.event_id });
  });

  it('stores the feedback linked to the issue of the anchor event', async () => {
    const expected = capturedFeedback();
    const anchorId = String(expected.associated_event_id);
    const anchor = await waitForEvent(picket!, project, anchorId, EVENT_WAIT_MS);
    const reports = await waitFor(async () => {
      const rows = (await apiGet(
        picket!,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/${anchor.groupID}/user-reports/`,
      )) as ApiFeedback[];
      return rows.length > 0 ? rows : undefined;
    }, EVENT_WAIT_MS);

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      eventID: anchorId,
      name: expected.name,
      email: expected.contact_email,
      comments: expected.message,
      kind: 'feedback',
      issue: { id: anchor.groupID, title: 'Feedback anchor event' },
    });
  });

  it('lists the feedback for the project', async () => {
    const rows = (await apiGet(
      picket!,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/`,
    )) as ApiFeedback[];
    expect(rows.map((row) => row.comments)).toEqual([capturedFeedback().message]);
  });
});
