/**
 * Setup shared by the issue list's browser tests: message events in given environments, and
 * waiting until the issue list returns every issue they create.
 */
import { randomUUID } from 'node:crypto';

import { expect } from 'vitest';

import {
  apiGet,
  sendEnvelope,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

export interface ListedIssue {
  id: string;
  shortId: string;
  title: string;
}

/** One kind of message event and how many of it to send. */
export interface EventPlan {
  message: string;
  environment: string;
  count: number;
}

/** Sends the planned events and returns the issues they created, keyed by message. */
export async function sendPlannedEvents(
  picket: PicketInstance,
  project: TestProject,
  plans: EventPlan[],
): Promise<Map<string, ListedIssue>> {
  for (const plan of plans) {
    for (let index = 0; index < plan.count; index += 1) {
      const response = await sendEnvelope(project.dsn, [
        {
          headers: { type: 'event' },
          payload: {
            event_id: randomUUID().replaceAll('-', ''),
            message: plan.message,
            level: 'error',
            environment: plan.environment,
            timestamp: Date.now() / 1000,
          },
        },
      ]);
      expect(response.status).toBe(200);
    }
  }

  const total = plans.reduce((sum, plan) => sum + plan.count, 0);
  const issues = await waitFor(async () => {
    const listed = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/?query=&limit=100`,
    )) as (ListedIssue & { count: string })[];
    const stored = listed.reduce((sum, issue) => sum + Number(issue.count), 0);
    return listed.length === plans.length && stored === total ? listed : undefined;
  }, 20_000);

  return new Map(issues.map((issue) => [issue.title, issue]));
}

/** Returns the issue created for a message, failing with the message when it is missing. */
export function issueFor(issues: Map<string, ListedIssue>, message: string): ListedIssue {
  const issue = issues.get(message);
  if (issue === undefined) {
    throw new Error(`no issue titled ${JSON.stringify(message)}`);
  }
  return issue;
}
