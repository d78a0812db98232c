/**
 * Sends a handled exception and a message with the real @sentry/node SDK
 * (test/clients/node/node-app.mjs) and reads them back through the web API.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { listIssues, waitForEvent } from './api.js';
import type { ClientEventIds } from './clients.js';
import { NODE_CLIENT_DIR, runClientScript } from './clients.js';
import type { ApiEvent, ApiIssue } from './sentry-event.js';
import {
  exceptionValues,
  expectReleaseAndEnvironment,
  findIssue,
  inAppFrames,
  messageText,
  tagValue,
} from './sentry-event.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'node-app.mjs');
const RELEASE = 'picket-node-client@1.0.0';
const ENVIRONMENT = 'live-test';
const CLIENT_TIMEOUT_MS = 20_000;
const EVENT_WAIT_MS = 15_000;

let picket: PicketInstance | undefined;
let project: TestProject;
let ids: ClientEventIds;
let exceptionEvent: ApiEvent;
let messageEvent: ApiEvent;
let issues: ApiIssue[];

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket);
  ids = await runClientScript(process.execPath, SCRIPT, project.dsn, CLIENT_TIMEOUT_MS);
  exceptionEvent = await waitForEvent(picket, project, ids.exception, EVENT_WAIT_MS);
  messageEvent = await waitForEvent(picket, project, ids.message, EVENT_WAIT_MS);
  issues = await listIssues(picket, project);
});

afterAll(async () => {
  await picket?.stop();
});

describe('@sentry/node 11.12.0', () => {
  it('exception keeps type and value', () => {
    const values = exceptionValues(exceptionEvent);
    expect(values).toHaveLength(1);
    expect(values[0]!.type).toBe('TypeError');
    expect(values[0]!.value).toBe('invoice has no lines to sum');
    expect(values[0]!.mechanism?.handled).toBe(true);
  });

  it('exception keeps in-app frames', () => {
    const frames = inAppFrames(exceptionValues(exceptionEvent)[0]!);
    expect(frames.map((frame) => frame.function).slice(-3)).toEqual([
      'loadInvoice',
      'priceInvoice',
      'sumLines',
    ]);
    for (const frame of frames) {
      expect(frame.filename, `filename of ${frame.function}`).toBe(SCRIPT);
    }
  });

  it('exception has release and environment', () => {
    expectReleaseAndEnvironment(exceptionEvent, RELEASE, ENVIRONMENT);
  });

  it('exception issue is listed', () => {
    const issue = findIssue(issues, exceptionEvent.groupID);
    expect(issue, `issue ${exceptionEvent.groupID}`).toBeDefined();
    expect(issue!.title).toBe('TypeError: invoice has no lines to sum');
    expect(issue!.metadata?.type).toBe('TypeError');
    expect(issue!.metadata?.value).toBe('invoice has no lines to sum');
  });

  it('message keeps text, tags and user', () => {
    expect(messageText(messageEvent)).toBe('Invoice total took too long');
    expect(tagValue(messageEvent, 'feature')).toBe('billing');
    expect(tagValue(messageEvent, 'tier')).toBe('gold');
    expect(messageEvent.user?.id).toBe('7');
    expect(messageEvent.user?.email).toBe('ada@example.com');
    expect(messageEvent.user?.username).toBe('ada');
  });

  it('message keeps breadcrumbs', () => {
    const entry = messageEvent.entries?.find((candidate) => candidate.type === 'breadcrumbs');
    const messages = ((entry?.data.values ?? []) as { message?: string }[]).map(
      (crumb) => crumb.message,
    );
    expect(messages).toContain('clicked pay');
    expect(messages).toContain('invoice inv-7 opened');
  });

  it('message has release and environment', () => {
    expectReleaseAndEnvironment(messageEvent, RELEASE, ENVIRONMENT);
  });

  it('message issue is listed', () => {
    const issue = findIssue(issues, messageEvent.groupID);
    expect(issue, `issue ${messageEvent.groupID}`).toBeDefined();
    expect(issue!.id).not.toBe(exceptionEvent.groupID);
  });
});
