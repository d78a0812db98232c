import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  createPostgresSchema,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

describe('ingest on PostgreSQL', () => {
  let picket: PicketInstance;
  let project: TestProject;

  beforeAll(async () => {
    const { url } = await createPostgresSchema();
    picket = await startPicket({ databaseUrl: url });
    project = await setupProject(picket, 'pg');
  });

  afterAll(async () => {
    await picket.stop();
  });

  const fetchEvent = (id: string) =>
    waitFor(async () => {
      const response = await fetch(
        `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${id}/`,
        { headers: { authorization: `Bearer ${project.token}` } },
      );
      return response.ok
        ? ((await response.json()) as { title: string; tags: { key: string; value: string }[] })
        : undefined;
    });

  it('stores an event whose strings contain NUL', async () => {
    const id = 'e'.repeat(32);
    const response = await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: { event_id: id, message: 'nul \u0000 char', tags: { k: 'v\u0000' } },
        },
      ],
      { event_id: id },
    );
    const event = await fetchEvent(id);

    const issues = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/?query=`,
    )) as { title: string }[];

    expect(response.status).toBe(200);
    expect(event.title).toBe('nul \u0000 char');
    expect(event.tags).toContainEqual({ key: 'k', value: 'v\uFFFD' });
    expect(issues.map((issue) => issue.title)).toContain('nul \uFFFD char');
  });

  it('keeps processing after an envelope without events', async () => {
    const session = { sid: 'a'.repeat(32), init: true, status: 'ok', attrs: { release: 'pg@1' } };
    await sendEnvelope(project.dsn, [{ headers: { type: 'session' }, payload: session }]);
    const id = 'f'.repeat(32);
    await sendEnvelope(
      project.dsn,
      [{ headers: { type: 'event' }, payload: { event_id: id, message: 'after session' } }],
      {
        event_id: id,
      },
    );

    const event = await fetchEvent(id);
    expect(event.title).toBe('after session');
  });

  it('lists the issues of the project', async () => {
    const issues = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/`,
    )) as unknown[];
    expect(issues.length).toBeGreaterThanOrEqual(2);
  });
});
