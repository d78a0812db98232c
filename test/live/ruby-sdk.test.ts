/**
 * Sends an exception and a transaction with Debian's sentry-ruby 5.3.0
 * (test/clients/ruby/app.rb) and reads both back through the web API: the exception as an
 * event and an issue, the transaction with its spans as a trace.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { listIssues, waitForEvent } from './api.js';
import { REPOSITORY_ROOT, runProgram } from './clients.js';
import type { ApiEvent, ApiIssue } from './sentry-event.js';
import {
  exceptionValues,
  expectReleaseAndEnvironment,
  findIssue,
  inAppFrames,
} from './sentry-event.js';
import type { TracingResult } from './tracing-client.js';
import {
  expectOrderSpanTree,
  expectOrderTransaction,
  expectOrderTransactionEvent,
  runTracingClient,
} from './tracing-client.js';

const RUBY = '/usr/bin/ruby';
const SCRIPT = path.join(REPOSITORY_ROOT, 'test/clients/ruby/app.rb');
const RELEASE = 'picket-ruby-client@1.0.0';
const ENVIRONMENT = 'live-test';

let picket: PicketInstance | undefined;
let project: TestProject;
let result: TracingResult;
let exceptionEvent: ApiEvent;
let issues: ApiIssue[];

beforeAll(async () => {
  await runProgram(RUBY, ['-e', "require 'sentry-ruby'"], { timeoutMs: 10_000 }).catch(
    (error: unknown) => {
      throw new Error(`Debian's ruby-sentry-ruby is not installed (see .ci/run): ${String(error)}`);
    },
  );
  picket = await startPicket();
  project = await setupProject(picket, 'ruby');
  result = await runTracingClient(picket, project, {
    executable: RUBY,
    args: [SCRIPT, project.dsn],
    cwd: REPOSITORY_ROOT,
  });
  exceptionEvent = await waitForEvent(picket, project, String(result.output.exception), 15_000);
  issues = await listIssues(picket, project);
});

afterAll(async () => {
  await picket?.stop();
});

describe('sentry-ruby 5.3.0', () => {
  it('exception keeps type and value', () => {
    const values = exceptionValues(exceptionEvent);

    expect(values).toHaveLength(1);
    expect(values[0]!.type).toBe('ZeroDivisionError');
    expect(values[0]!.value).toBe('divided by 0');
  });

  it('exception keeps in-app frames', () => {
    const frames = inAppFrames(exceptionValues(exceptionEvent)[0]!);

    // Ruby 3.1 reports the division itself (Integer#/) as the innermost frame, at the line of
    // average_line that divides.
    expect(frames.map((frame) => frame.function).slice(-4)).toEqual([
      'load_invoice',
      'price_invoice',
      'average_line',
      '/',
    ]);
  });

  it('exception has release and environment', () => {
    expectReleaseAndEnvironment(exceptionEvent, RELEASE, ENVIRONMENT);
  });

  it('exception issue is listed', () => {
    const issue = findIssue(issues, exceptionEvent.groupID);

    expect(issue, `issue ${exceptionEvent.groupID}`).toBeDefined();
    expect(issue!.metadata?.type).toBe('ZeroDivisionError');
  });

  it('stores the transaction', () => {
    expectOrderTransaction(result, {
      release: RELEASE,
      environment: ENVIRONMENT,
      platform: 'ruby',
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
