/**
 * Sends a trace with the real @sentry/node SDK (test/clients/node/node-tracing.mjs) in both
 * trace modes, a classic transaction event (`static`) and span streaming in v2 containers
 * (`stream`), and reads the trace back through the web API.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { NODE_CLIENT_DIR } from './clients.js';
import type { TracingResult } from './tracing-client.js';
import {
  expectOrderSpanTree,
  expectOrderTransaction,
  expectOrderTransactionEvent,
  runTracingClient,
} from './tracing-client.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'node-tracing.mjs');
const LIFECYCLES = ['static', 'stream'] as const;

let picket: PicketInstance | undefined;
let project: TestProject;
const results = new Map<string, TracingResult>();

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'node-tracing');
  for (const lifecycle of LIFECYCLES) {
    results.set(
      lifecycle,
      await runTracingClient(picket, project, {
        executable: process.execPath,
        args: [SCRIPT, project.dsn, lifecycle],
        cwd: NODE_CLIENT_DIR,
      }),
    );
  }
});

afterAll(async () => {
  await picket?.stop();
});

describe.each(LIFECYCLES)('@sentry/node 11.12.0 tracing (%s)', (lifecycle) => {
  it('stores the root span as a transaction', () => {
    expectOrderTransaction(results.get(lifecycle)!, {
      release: 'picket-node-client@1.0.0',
      environment: 'live-test',
      platform: 'node',
    });
  });

  it('links every child span to its parent', () => {
    expectOrderSpanTree(results.get(lifecycle)!);
  });

  it('arrives in the format of its trace mode', () => {
    const { ids, trace } = results.get(lifecycle)!;
    const root = trace.spans.find((span) => span.spanID === ids.rootSpanId);

    // A streamed segment keeps its attributes; a transaction event's root has no span row.
    expect(root?.data['sentry.segment.name']).toBe(
      lifecycle === 'stream' ? 'process-order' : undefined,
    );
  });

  it('returns the transaction from the event endpoint', () => {
    expectOrderTransactionEvent(results.get(lifecycle)!);
  });

  it('links the error inside the span to the trace', () => {
    const { ids, errorEvent } = results.get(lifecycle)!;

    expect(errorEvent.contexts?.trace?.trace_id).toBe(ids.traceId);
  });
});
