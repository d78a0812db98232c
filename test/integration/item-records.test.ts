/**
 * Payloads that pass ingest's JSON check must also be readable by the worker: an item that
 * starts with a UTF-8 byte order mark is stored like any other, and does not hold up the items
 * queued after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { waitForEvent } from '../live/api.js';

const BOM = '\uFEFF';

let picket: PicketInstance;
let project: TestProject;

function envelopeUrl(): string {
  const url = new URL(project.dsn);
  return `${url.protocol}//${url.host}/api/${project.projectId}/envelope/?sentry_key=${url.username}`;
}

async function post(lines: string[]): Promise<Response> {
  return fetch(envelopeUrl(), { method: 'POST', body: lines.join('\n') });
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'bom');
});

afterAll(async () => {
  await picket?.stop();
});

describe('items with a byte order mark', () => {
  it('stores an event whose payload starts with one', async () => {
    const eventId = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b1';
    const event = { event_id: eventId, message: 'starts with a BOM', level: 'error' };

    const response = await post(['{}', '{"type":"event"}', BOM + JSON.stringify(event)]);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: eventId });
    const stored = await waitForEvent(picket, project, eventId, 15_000);
    expect(stored.message).toBe('starts with a BOM');
  });

  it('stores a user report with one and the event queued after it', async () => {
    const reportedId = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b2';
    const laterId = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b3';
    const report = { event_id: reportedId, name: 'Ada', email: 'ada@example.com', comments: 'BOM' };

    const reportResponse = await post([
      JSON.stringify({ event_id: reportedId }),
      '{"type":"user_report"}',
      BOM + JSON.stringify(report),
    ]);
    const laterResponse = await post([
      '{}',
      '{"type":"event"}',
      JSON.stringify({ event_id: laterId, message: 'queued after the report' }),
    ]);

    expect(reportResponse.status).toBe(200);
    expect(laterResponse.status).toBe(200);
    await waitForEvent(picket, project, laterId, 15_000);
    const feedback = await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/`,
      )) as { eventID: string; comments: string }[];
      return listed.find((entry) => entry.eventID === reportedId);
    });
    expect(feedback.comments).toBe('BOM');
  });
});
