/**
 * Sends an exception and a message with Debian's sentry_sdk 1.9.10 (test/clients/python/app.py,
 * which uses the legacy store endpoint) and reads them back through the web API.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { listIssues, waitForEvent } from './api.js';
import type { ClientEventIds } from './clients.js';
import { PYTHON_CLIENT_DIR, runClientScript } from './clients.js';
import type { ApiEvent, ApiIssue } from './sentry-event.js';
import {
  exceptionValues,
  expectReleaseAndEnvironment,
  findIssue,
  inAppFrames,
  messageText,
  tagValue,
} from './sentry-event.js';

// Debian's interpreter, which has python3-sentry-sdk; another python3 on PATH may lack it.
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(PYTHON_CLIENT_DIR, 'app.py');
const RELEASE = 'picket-python-client@1.0.0';
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
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`${PYTHON} not found: install Debian's python3-sentry-sdk (see .ci/run)`);
  }
  picket = await startPicket();
  project = await setupProject(picket);
  ids = await runClientScript(PYTHON, SCRIPT, project.dsn, CLIENT_TIMEOUT_MS);
  exceptionEvent = await waitForEvent(picket, project, ids.exception, EVENT_WAIT_MS);
  messageEvent = await waitForEvent(picket, project, ids.message, EVENT_WAIT_MS);
  issues = await listIssues(picket, project);
});

afterAll(async () => {
  await picket?.stop();
});

describe('sentry-python 1.9.10', () => {
  it('exception keeps type and value', () => {
    const values = exceptionValues(exceptionEvent);
    expect(values).toHaveLength(1);
    expect(values[0]!.type).toBe('ZeroDivisionError');
    expect(values[0]!.value).toBe('division by zero');
  });

  it('exception keeps in-app frames', () => {
    const frames = inAppFrames(exceptionValues(exceptionEvent)[0]!);
    expect(frames.map((frame) => frame.function)).toEqual([
      'main',
      'load_invoice',
      'price_invoice',
      'average_line',
    ]);
    for (const frame of frames) {
      expect(frame.filename, `filename of ${frame.function}`).toBe('app.py');
      expect(frame.absPath, `absPath of ${frame.function}`).toBe(SCRIPT);
    }
  });

  it('exception has release and environment', () => {
    expectReleaseAndEnvironment(exceptionEvent, RELEASE, ENVIRONMENT);
  });

  it('exception issue is listed', () => {
    const issue = findIssue(issues, exceptionEvent.groupID);
    expect(issue, `issue ${exceptionEvent.groupID}`).toBeDefined();
    expect(issue!.title).toBe('ZeroDivisionError: division by zero');
    expect(issue!.metadata?.type).toBe('ZeroDivisionError');
    expect(issue!.metadata?.value).toBe('division by zero');
  });

  it('message keeps text, tags and user', () => {
    expect(messageText(messageEvent)).toBe('Invoice total took too long');
    expect(tagValue(messageEvent, 'feature')).toBe('billing');
    expect(tagValue(messageEvent, 'tier')).toBe('gold');
    expect(messageEvent.user?.id).toBe('7');
    expect(messageEvent.user?.email).toBe('ada@example.com');
    expect(messageEvent.user?.username).toBe('ada');
  });

  it('message has release and environment', () => {
    expectReleaseAndEnvironment(messageEvent, RELEASE, ENVIRONMENT);
  });

  it('message issue is listed', () => {
    const issue = findIssue(issues, messageEvent.groupID);
    expect(issue, `issue ${messageEvent.groupID}`).toBeDefined();
    expect(issue!.title).toBe('Invoice total took too long');
  });
});
