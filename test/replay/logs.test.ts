/**
 * Replays the recorded SDK requests that carry `log` items (test/fixtures/sdk-captures) against
 * a running Picket and reads every log back through the log list.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Log } from '../../src/shared/api/logs.js';
import { waitForLogs } from '../helpers/logs.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import type { Capture, ReplayResponse } from './captures.js';
import { CAPTURES_DIR, replayCapture } from './captures.js';

interface CapturedLog {
  timestamp: number;
  level: string;
  body: string;
  trace_id: string;
  severity_number?: number;
  attributes: Record<string, { type: string; value: unknown }>;
}

/** Loads every capture, in any folder, whose envelope has a `log` item. */
function loadLogCaptures(): { capture: Capture; logs: CapturedLog[] }[] {
  const folders = fs
    .readdirSync(CAPTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  return folders.flatMap((folder) =>
    fs
      .readdirSync(path.join(CAPTURES_DIR, folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => {
        const file = path.join(CAPTURES_DIR, folder, name);
        const capture = JSON.parse(fs.readFileSync(file, 'utf8')) as Capture;
        return { ...capture, label: `${folder}/${name}` };
      })
      .map((capture) => ({
        capture,
        logs: (capture.envelope?.items ?? [])
          .filter((item) => item.header.type === 'log')
          .flatMap((item) => (item.payload as { items: CapturedLog[] }).items),
      }))
      .filter((entry) => entry.logs.length > 0),
  );
}

const logCaptures = loadLogCaptures();

let picket: PicketInstance | undefined;
let project: TestProject;
const responses = new Map<string, ReplayResponse>();
let stored: Log[] = [];

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'replay-logs');

  for (const { capture } of logCaptures) {
    responses.set(
      capture.label,
      await replayCapture(capture, {
        baseUrl: picket.url,
        projectId: String(project.projectId),
        publicKey: project.publicKey,
        dsn: project.dsn,
        apiToken: project.token,
      }),
    );
  }

  const total = logCaptures.reduce((count, entry) => count + entry.logs.length, 0);
  stored = await waitForLogs(picket, project, {}, total);
});

afterAll(async () => {
  await picket?.stop();
});

it('finds captures with log items', () => {
  expect(logCaptures.map((entry) => entry.capture.label)).toContain('node/016-envelope-log.json');
});

describe.each(logCaptures)('$capture.label', ({ capture, logs }) => {
  it('is acknowledged with 200', () => {
    expect(responses.get(capture.label)?.status).toBe(200);
  });

  it.each(logs.map((log) => ({ log })))('stores "$log.body"', ({ log }) => {
    const match = stored.find(
      (candidate) => candidate.body === log.body && candidate.traceId === log.trace_id,
    );
    const release = log.attributes['sentry.release']?.value ?? null;
    const environment = log.attributes['sentry.environment']?.value ?? null;

    expect(match, log.body).toBeDefined();
    expect(match).toMatchObject({
      level: log.level,
      severityNumber: log.severity_number,
      attributes: log.attributes,
      release,
      environment,
      sdk: {
        name: log.attributes['sentry.sdk.name']?.value,
        version: log.attributes['sentry.sdk.version']?.value,
      },
    });
    const micros = Math.round(log.timestamp * 1e6);
    const extraMicros = String(micros % 1_000).padStart(3, '0');
    expect(match!.timestamp).toBe(
      new Date(Math.floor(micros / 1_000)).toISOString().replace('Z', `${extraMicros}Z`),
    );
  });
});
