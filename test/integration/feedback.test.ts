/**
 * User feedback end to end on the built server: `feedback` and `user_report` items, the
 * legacy submission API with a token or a DSN, and the lists per project and per issue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildEnvelope,
  newEventId,
  postEnvelope,
  readOutcomes,
  type RawItem,
} from '../helpers/envelopes.js';
import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiFeedback {
  id: string;
  eventID: string;
  name: string;
  email: string;
  comments: string;
  dateCreated: string;
  user: Record<string, unknown> | null;
  event: { id: string; eventID: string };
  issue: { id: string; title: string } | null;
  kind: string;
  url: string | null;
  attachments: { name: string; event_id: string }[];
}

let picket: PicketInstance;
let project: TestProject;
let stranger: TestProject;

function errorEvent(eventId: string, message: string): RawItem {
  return {
    headers: { type: 'event' },
    payload: { event_id: eventId, message, level: 'error', platform: 'javascript' },
  };
}

function feedbackItem(context: Record<string, unknown>): RawItem {
  return {
    headers: { type: 'feedback' },
    payload: {
      type: 'feedback',
      level: 'info',
      platform: 'javascript',
      user: { id: '42', email: 'user@example.com', username: 'user42' },
      contexts: { feedback: context },
    },
  };
}

async function listFeedback(query = 'status='): Promise<ApiFeedback[]> {
  return (await apiGet(
    picket,
    project.token,
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/?${query}`,
  )) as ApiFeedback[];
}

function waitForFeedback(match: (row: ApiFeedback) => boolean): Promise<ApiFeedback> {
  return waitFor(async () => (await listFeedback()).find(match));
}

function eventPath(eventId: string): string {
  return `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'voice');
  stranger = await setupProject(picket, 'stranger');
});

afterAll(async () => {
  await picket?.stop();
});

describe('feedback items', () => {
  const errorId = newEventId();
  const feedbackId = newEventId();
  let feedback: ApiFeedback;
  let issueId: string;

  beforeAll(async () => {
    await postEnvelope(
      project,
      buildEnvelope({ event_id: errorId }, [errorEvent(errorId, 'checkout failed')]),
    );
    const stored = (await waitFor(() => apiGet(picket, project.token, eventPath(errorId)))) as {
      groupID: string;
    };
    issueId = stored.groupID;

    const response = await postEnvelope(
      project,
      buildEnvelope({ event_id: feedbackId }, [
        feedbackItem({
          message: 'The pay button did nothing.',
          name: 'Jane Doe',
          contact_email: 'jane@example.com',
          url: 'https://shop.example/checkout',
          associated_event_id: errorId,
        }),
        {
          headers: { type: 'attachment', filename: 'screenshot.png', content_type: 'image/png' },
          payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
        },
      ]),
    );
    expect(response.status).toBe(200);
    feedback = await waitForFeedback(
      (row) => row.comments === 'The pay button did nothing.' && row.attachments.length > 0,
    );
  });

  it('stores the message and contact', () => {
    expect(feedback).toMatchObject({
      eventID: errorId,
      name: 'Jane Doe',
      email: 'jane@example.com',
      kind: 'feedback',
      url: 'https://shop.example/checkout',
      event: { id: errorId, eventID: errorId },
    });
  });

  it('keeps the feedback user', () => {
    expect(feedback.user).toMatchObject({ id: '42', email: 'user@example.com' });
  });

  it('links the feedback to the issue of its event', () => {
    expect(feedback.issue?.id).toBe(issueId);
    expect(feedback.issue?.title).toBe('checkout failed');
  });

  it('shows the screenshot with the feedback', () => {
    expect(feedback.attachments.map((file) => [file.name, file.event_id])).toEqual([
      ['screenshot.png', feedbackId],
    ]);
  });

  it('lists the feedback of the issue', async () => {
    const reports = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${issueId}/user-reports/`,
    )) as ApiFeedback[];
    expect(reports.map((report) => report.id)).toEqual([feedback.id]);
  });

  it('hides the issue feedback from another organization', async () => {
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/issues/${issueId}/user-reports/`,
      { headers: { authorization: `Bearer ${stranger.token}` } },
    );
    expect(response.status).toBe(404);
  });

  it('hides the project feedback from another organization', async () => {
    const response = await fetch(
      `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/`,
      { headers: { authorization: `Bearer ${stranger.token}` } },
    );
    expect(response.status).toBe(404);
  });

  it('leaves out feedback of resolved issues by default', async () => {
    await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/issues/${issueId}/`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });

    const unresolved = await listFeedback('');
    const all = await listFeedback('status=');

    expect(unresolved.map((row) => row.id)).not.toContain(feedback.id);
    expect(all.map((row) => row.id)).toContain(feedback.id);
  });
});

describe('feedback before its event', () => {
  const errorId = newEventId();

  it('links the issue once the event arrives', async () => {
    await postEnvelope(
      project,
      buildEnvelope({ event_id: newEventId() }, [
        feedbackItem({ message: 'Sent before the error.', associated_event_id: errorId }),
      ]),
    );
    const early = await waitForFeedback((row) => row.comments === 'Sent before the error.');
    expect(early.issue).toBeNull();

    await postEnvelope(
      project,
      buildEnvelope({ event_id: errorId }, [errorEvent(errorId, 'late error')]),
    );
    await waitFor(() => apiGet(picket, project.token, eventPath(errorId)));
    const linked = await waitForFeedback((row) => row.id === early.id && row.issue !== null);

    expect(linked.issue?.title).toBe('late error');
  });
});

describe('user_report items', () => {
  const errorId = newEventId();

  it('stores a report with the envelope event id', async () => {
    await postEnvelope(
      project,
      buildEnvelope({ event_id: errorId }, [
        errorEvent(errorId, 'report target'),
        {
          headers: { type: 'user_report' },
          payload: { name: 'Old SDK', email: 'old@example.com', comments: 'Crashed on save.' },
        },
      ]),
    );
    const report = await waitForFeedback((row) => row.comments === 'Crashed on save.');

    expect(report).toMatchObject({ kind: 'user_report', eventID: errorId, name: 'Old SDK' });
    expect(report.issue?.title).toBe('report target');
  });
});

describe('POST user-feedback', () => {
  const path = () => `/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/`;
  const body = (eventId: string, comments: string) =>
    JSON.stringify({ event_id: eventId, name: 'API User', email: 'api@example.com', comments });

  it('accepts DSN auth with an empty 200', async () => {
    const eventId = newEventId();
    const response = await fetch(`${picket.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `DSN ${project.dsn}`, 'content-type': 'application/json' },
      body: body(eventId, 'Sent with the DSN.'),
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await expect(
      waitForFeedback((row) => row.comments === 'Sent with the DSN.'),
    ).resolves.toMatchObject({ eventID: eventId, kind: 'user_report' });
  });

  it('returns the report to a token caller', async () => {
    const eventId = newEventId();
    const response = await fetch(`${picket.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: body(eventId, 'Sent with a token.'),
    });

    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toMatchObject({
      eventID: eventId,
      comments: 'Sent with a token.',
      issue: null,
    });
  });

  it('replaces a report sent again within five minutes', async () => {
    const eventId = newEventId();
    const send = (comments: string) =>
      fetch(`${picket.url}${path()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
        body: body(eventId, comments),
      });

    const first = (await (await send('First words.')).json()) as ApiFeedback;
    const second = (await (await send('Second words.')).json()) as ApiFeedback;

    expect(second.id).toBe(first.id);
    expect(second.comments).toBe('Second words.');
  });

  it('rejects a DSN of another project', async () => {
    const response = await fetch(`${picket.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `DSN ${stranger.dsn}`, 'content-type': 'application/json' },
      body: body(newEventId(), 'Wrong project.'),
    });
    expect(response.status).toBe(401);
  });

  it('rejects an invalid email with the field named', async () => {
    const response = await fetch(`${picket.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `DSN ${project.dsn}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_id: newEventId(), name: 'A', email: 'nope', comments: 'x' }),
    });
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toHaveProperty('email');
  });

  it('rejects a caller without credentials', async () => {
    const response = await fetch(`${picket.url}${path()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(newEventId(), 'Anonymous.'),
    });
    expect(response.status).toBe(401);
  });
});

describe('invalid feedback items', () => {
  const keptId = newEventId();

  beforeAll(async () => {
    const response = await postEnvelope(
      project,
      buildEnvelope({ event_id: keptId }, [
        errorEvent(keptId, 'kept beside bad feedback'),
        feedbackItem({ name: 'No message' }),
        feedbackItem({ message: 'x'.repeat(4097) }),
        { headers: { type: 'user_report' }, payload: { event_id: 'not-an-id', comments: 'x' } },
        { headers: { type: 'user_report' }, payload: { name: 'No comments' } },
      ]),
    );
    expect(response.status).toBe(200);
  });

  it('keeps the valid event', async () => {
    await expect(
      waitFor(() => apiGet(picket, project.token, eventPath(keptId))),
    ).resolves.toMatchObject({
      eventID: keptId,
    });
  });

  it('counts each bad item with its reason', async () => {
    const rows = await waitFor(async () => {
      const invalid = readOutcomes(picket, project.projectId).filter(
        (row) => row.outcome === 'invalid',
      );
      const total = invalid.reduce((sum, row) => sum + row.quantity, 0);
      return total >= 4 ? invalid : undefined;
    });
    const byReason = Object.fromEntries(
      rows.map((row) => [`${row.category}/${row.reason}`, row.quantity]),
    );
    expect(byReason).toEqual({
      'feedback/missing_feedback_message': 1,
      'feedback/feedback_message_too_long': 1,
      'default/invalid_user_report': 2,
    });
  });
});
