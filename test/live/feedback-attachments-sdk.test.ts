/**
 * User feedback and attachments from real SDKs: @sentry/node 11.12.0
 * (test/clients/node/feedback-app.mjs) and Debian's sentry_sdk 1.9.10
 * (test/clients/python/attachment_app.py). Attachments are downloaded back and compared byte
 * for byte with what the scripts sent.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { waitForEvent } from './api.js';
import { NODE_CLIENT_DIR, PYTHON_CLIENT_DIR, runProgram } from './clients.js';

const PYTHON = '/usr/bin/python3';
const CLIENT_TIMEOUT_MS = 20_000;
const EVENT_WAIT_MS = 15_000;

interface ApiAttachment {
  id: string;
  name: string;
  type: string;
  mimetype: string;
  size: number;
}

interface ApiFeedback {
  eventID: string;
  name: string;
  email: string;
  comments: string;
  url: string | null;
  kind: string;
  issue: { id: string } | null;
}

/** Builds the bytes that both client scripts send as attachments. */
function attachmentBytes(length: number): Buffer {
  return Buffer.from(
    Array.from({ length }, (_, index) => (index < 256 ? index : (index * 31) % 251)),
  );
}

let picket: PicketInstance | undefined;
let project: TestProject;

async function runClient(executable: string, script: string): Promise<Record<string, string>> {
  const stdout = await runProgram(executable, [script, project.dsn], {
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
}

function waitForAttachments(eventId: string): Promise<ApiAttachment[]> {
  const listPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/attachments/`;
  return waitFor(async () => {
    const rows = (await apiGet(picket!, project.token, listPath)) as ApiAttachment[];
    return rows.length > 0 ? rows : undefined;
  }, EVENT_WAIT_MS);
}

async function download(eventId: string, attachment: ApiAttachment): Promise<Buffer> {
  const response = await fetch(
    `${picket!.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/attachments/${attachment.id}/?download=1`,
    { headers: { authorization: `Bearer ${project.token}` } },
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'sdkfiles');
});

afterAll(async () => {
  await picket?.stop();
});

describe('@sentry/node 11.12.0 feedback and attachments', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    ids = await runClient(process.execPath, path.join(NODE_CLIENT_DIR, 'feedback-app.mjs'));
  });

  it('links captureFeedback to the issue of its error', async () => {
    const error = await waitForEvent(picket!, project, ids.error!, EVENT_WAIT_MS);
    const reports = await waitFor(async () => {
      const rows = (await apiGet(
        picket!,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/${error.groupID}/user-reports/`,
      )) as ApiFeedback[];
      return rows.length > 0 ? rows : undefined;
    }, EVENT_WAIT_MS);

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      eventID: ids.error,
      name: 'Jane Doe',
      email: 'jane@example.com',
      comments: 'The checkout button did nothing.',
      url: 'https://shop.example/checkout',
      kind: 'feedback',
      issue: { id: error.groupID },
    });
  });

  it('keeps a scope attachment byte for byte', async () => {
    const [attachment] = await waitForAttachments(ids.scopeAttachment!);

    expect(attachment).toMatchObject({
      name: 'scope-state.bin',
      type: 'event.attachment',
      mimetype: 'application/octet-stream',
      size: 70_000,
    });
    const bytes = await download(ids.scopeAttachment!, attachment!);
    expect(bytes.equals(attachmentBytes(70_000))).toBe(true);
  });

  it('keeps a hint attachment byte for byte', async () => {
    const [attachment] = await waitForAttachments(ids.hintAttachment!);

    expect(attachment).toMatchObject({ name: 'request.json', mimetype: 'application/json' });
    const bytes = await download(ids.hintAttachment!, attachment!);
    expect(bytes.toString('utf8')).toBe('{"order":7,"items":[]}');
  });

  it('stores the events that carried the attachments', async () => {
    await expect(
      waitForEvent(picket!, project, ids.scopeAttachment!, EVENT_WAIT_MS),
    ).resolves.toMatchObject({ title: 'Error: export failed with scope attachment' });
  });
});

describe('sentry-python 1.9.10 attachment', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    if (!fs.existsSync(PYTHON)) {
      throw new Error(`${PYTHON} not found: install Debian's python3-sentry-sdk (see .ci/run)`);
    }
    ids = await runClient(PYTHON, path.join(PYTHON_CLIENT_DIR, 'attachment_app.py'));
  });

  it('keeps a scope attachment byte for byte', async () => {
    const [attachment] = await waitForAttachments(ids.exception!);

    expect(attachment).toMatchObject({ name: 'report.bin', size: 4096 });
    const bytes = await download(ids.exception!, attachment!);
    expect(bytes.equals(attachmentBytes(4096))).toBe(true);
  });

  it('stores the event beside the attachment', async () => {
    await expect(
      waitForEvent(picket!, project, ids.exception!, EVENT_WAIT_MS),
    ).resolves.toMatchObject({ title: "KeyError: 'missing'" });
  });
});
