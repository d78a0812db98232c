/**
 * Sends a transaction with Debian's sentry_sdk 1.9.10 (test/clients/python/tracing.py), which
 * writes RFC 3339 timestamps into a gzip-compressed envelope, and reads the trace back.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { PYTHON_CLIENT_DIR } from './clients.js';
import type { TracingResult } from './tracing-client.js';
import {
  expectOrderSpanTree,
  expectOrderTransaction,
  expectOrderTransactionEvent,
  runTracingClient,
} from './tracing-client.js';

// Debian's interpreter, which has python3-sentry-sdk; another python3 on PATH may lack it.
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(PYTHON_CLIENT_DIR, 'tracing.py');

let picket: PicketInstance | undefined;
let project: TestProject;
let result: TracingResult;

beforeAll(async () => {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`${PYTHON} not found: install Debian's python3-sentry-sdk (see .ci/run)`);
  }
  picket = await startPicket();
  project = await setupProject(picket, 'python-tracing');
  result = await runTracingClient(picket, project, {
    executable: PYTHON,
    args: [SCRIPT, project.dsn],
  });
});

afterAll(async () => {
  await picket?.stop();
});

describe('sentry-python 1.9.10 tracing', () => {
  it('stores the transaction', () => {
    expectOrderTransaction(result, {
      release: 'picket-python-client@1.0.0',
      environment: 'live-test',
      platform: 'python',
    });
  });

  it('links every child span to its parent', () => {
    expectOrderSpanTree(result);
  });

  it('returns the transaction from the event endpoint', () => {
    expectOrderTransactionEvent(result);
  });

  it('links the error inside the transaction to the trace', () => {
    expect(result.errorEvent.contexts?.trace?.trace_id).toBe(result.ids.traceId);
  });
});
