import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  GroupingInfoResponse,
  GroupingRulesValidation,
} from '../../src/shared/api/grouping.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

/** The worker reads changed rules again after this long (`GROUPING_RULES_MAX_AGE_MS`). */
const RULES_CACHE_MS = 2_000;

let eventCounter = 0;

function nextEventId(): string {
  eventCounter += 1;
  return eventCounter.toString(16).padStart(32, 'e');
}

/** A Python error whose stack ends in `lastFunction`, so that events differ only by that frame. */
function pythonError(eventId: string, type: string, lastFunction: string) {
  return {
    event_id: eventId,
    platform: 'python',
    level: 'error',
    exception: {
      values: [
        {
          type,
          value: `failure in ${lastFunction}`,
          stacktrace: {
            frames: [
              { function: 'main', module: 'app.main', filename: 'app/main.py', in_app: true },
              {
                function: lastFunction,
                module: 'app.tasks',
                filename: 'app/tasks.py',
                in_app: true,
              },
            ],
          },
        },
      ],
    },
  };
}

describe.each(SERVER_ENGINES)('project grouping rules on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'grouping');
  });

  afterAll(async () => {
    await picket.stop();
  });

  const projectPath = () => `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;

  async function sendAndReadIssue(event: { event_id: string }): Promise<string> {
    const response = await sendEnvelope(
      project.dsn,
      [{ headers: { type: 'event' }, payload: event }],
      { event_id: event.event_id },
    );
    expect(response.status).toBe(200);
    const stored = await waitFor(
      async () =>
        (await apiGet(picket, project.token, `${projectPath()}events/${event.event_id}/`)) as {
          groupID: string;
        },
    );
    return stored.groupID;
  }

  async function putRules(body: Record<string, string>): Promise<Response> {
    return fetch(`${picket.url}${projectPath()}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('reads empty rules for a new project', async () => {
    const details = (await apiGet(picket, project.token, projectPath())) as Record<string, unknown>;

    expect(details.groupingEnhancements).toBe('');
    expect(details.fingerprintingRules).toBe('');
  });

  it('rejects invalid rules naming the line', async () => {
    const response = await putRules({
      fingerprintingRules: 'error.type:A -> a\ncolour:red -> b',
    });
    const body = (await response.json()) as { detail: string };

    expect(response.status).toBe(400);
    expect(body.detail).toContain('fingerprintingRules');
    expect(body.detail).toContain('line 2: unknown matcher "colour"');
  });

  it('rejects invalid stack-trace rules naming the line', async () => {
    const response = await putRules({ groupingEnhancements: 'function:foo' });
    const body = (await response.json()) as { detail: string };

    expect(response.status).toBe(400);
    expect(body.detail).toContain('line 1: a rule needs at least one action');
  });

  it('validates rules without saving them', async () => {
    const result = (await apiRequest(
      picket,
      project.token,
      'POST',
      `${projectPath()}grouping-rules/validate/`,
      { groupingEnhancements: 'function:a +app\nfunction:b', fingerprintingRules: 'type:A -> a' },
    )) as GroupingRulesValidation;
    const details = (await apiGet(picket, project.token, projectPath())) as Record<string, unknown>;

    expect(result.groupingEnhancements.map((error) => error.line)).toEqual([2]);
    expect(result.fingerprintingRules).toEqual([]);
    expect(details.fingerprintingRules).toBe('');
  });

  it('groups events into one issue with a fingerprint rule', async () => {
    const before = [
      await sendAndReadIssue(pythonError(nextEventId(), 'DbError', 'load_users')),
      await sendAndReadIssue(pythonError(nextEventId(), 'DbError', 'save_order')),
    ];
    expect(before[0]).not.toBe(before[1]);

    const saved = (await apiRequest(picket, project.token, 'PUT', projectPath(), {
      fingerprintingRules: 'error.type:DbError -> database-errors title="Database errors"',
    })) as Record<string, unknown>;
    expect(saved.fingerprintingRules).toContain('database-errors');
    await new Promise((resolve) => setTimeout(resolve, RULES_CACHE_MS + 200));

    const after = [
      await sendAndReadIssue(pythonError(nextEventId(), 'DbError', 'load_users')),
      await sendAndReadIssue(pythonError(nextEventId(), 'DbError', 'save_order')),
    ];

    expect(after[0]).toBe(after[1]);
    expect(before).not.toContain(after[0]);

    const issue = (await apiGet(picket, project.token, `/api/0/issues/${after[0]}/`)) as {
      title: string;
    };
    expect(issue.title).toBe('Database errors');
  });

  it('changes grouping with a -group stack-trace rule', async () => {
    const before = [
      await sendAndReadIssue(pythonError(nextEventId(), 'TaskError', 'helper_one')),
      await sendAndReadIssue(pythonError(nextEventId(), 'TaskError', 'helper_two')),
    ];
    expect(before[0]).not.toBe(before[1]);

    await apiRequest(picket, project.token, 'PUT', projectPath(), {
      groupingEnhancements: 'stack.function:helper_* -group',
    });
    await new Promise((resolve) => setTimeout(resolve, RULES_CACHE_MS + 200));

    const eventId = nextEventId();
    const after = [
      await sendAndReadIssue(pythonError(eventId, 'TaskError', 'helper_one')),
      await sendAndReadIssue(pythonError(nextEventId(), 'TaskError', 'helper_two')),
    ];

    expect(after[0]).toBe(after[1]);

    const info = (await apiGet(
      picket,
      project.token,
      `${projectPath()}events/${eventId}/grouping-info/`,
    )) as GroupingInfoResponse;
    const primary = Object.values(info).filter((variant) => variant.isPrimary);
    const tree = JSON.stringify(info.app?.component);

    expect(primary.map((variant) => variant.key)).toEqual(['app']);
    expect(info.app?.hashMismatch).toBe(false);
    expect(tree).toContain('"helper_one"');
    expect(tree).toMatch(/"contributes":false,"hint":"[^"]*-group/);
  });

  it('returns 404 for an unknown event', async () => {
    const response = await fetch(
      `${picket.url}${projectPath()}events/${'0'.repeat(32)}/grouping-info/`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );

    expect(response.status).toBe(404);
  });
});
