import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { parseExposition, sampleValue, type Family } from '../helpers/prometheus-text.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const STORED_EVENTS = { name: 'picket_worker_records_processed_total', labels: { kind: 'event' } };
const ACCEPTED_EVENTS = {
  name: 'picket_ingest_items_total',
  labels: { category: 'error', outcome: 'accepted' },
};

function errorItem(seed: number) {
  return {
    headers: { type: 'event' },
    payload: {
      event_id: seed.toString(16).padStart(32, 'a'),
      level: 'error',
      message: `metrics test ${seed}`,
    },
  };
}

async function scrape(
  picket: PicketInstance,
): Promise<{ text: string; families: Map<string, Family> }> {
  const response = await fetch(`${picket.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  if (response.status !== 200) {
    throw new Error(`/metrics returned ${response.status}`);
  }
  const text = await response.text();
  return { text, families: parseExposition(text) };
}

describe('GET /metrics', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let limited: TestProject;

  beforeAll(async () => {
    picket = await startPicket({ env: { PICKET_METRICS_TOKEN: METRICS_TOKEN } });
    project = await setupProject(picket, 'metrics');
    limited = await setupProject(picket, 'limited');
    await apiRequest(
      picket,
      limited.token,
      'PUT',
      `/api/0/projects/${limited.orgSlug}/${limited.projectSlug}/keys/${limited.publicKey}/`,
      { rateLimit: { window: 3600, count: 1 } },
    );
  }, 120_000);

  afterAll(async () => {
    await picket.stop();
  });

  it('rejects a scrape without the bearer token', async () => {
    const anonymous = await fetch(`${picket.url}/metrics`);
    const wrong = await fetch(`${picket.url}/metrics`, {
      headers: { authorization: 'Bearer not-the-token' },
    });

    expect(anonymous.status).toBe(401);
    expect(wrong.status).toBe(401);
  });

  it('exports valid exposition text with every name prefixed', async () => {
    const { families } = await scrape(picket);

    expect(families.size).toBeGreaterThan(10);
    for (const name of families.keys()) {
      expect(name).toMatch(/^picket_/);
    }
    expect(families.has('picket_nodejs_version_info')).toBe(false);
    expect(families.get('picket_process_cpu_seconds_total')?.type).toBe('counter');
  });

  it('counts ingest requests and items by outcome', async () => {
    const before = (await scrape(picket)).families;

    const accepted = await Promise.all([
      sendEnvelope(project.dsn, [errorItem(1)]),
      sendEnvelope(project.dsn, [errorItem(2)]),
    ]);
    const invalid = await sendEnvelope(project.dsn, [
      { headers: { type: 'event' }, payload: '{not json' },
    ]);
    const filtered = await sendEnvelope(project.dsn, [
      { headers: { type: 'profile' }, payload: { version: '1' } },
    ]);
    const firstLimited = await sendEnvelope(limited.dsn, [errorItem(3)]);
    const secondLimited = await sendEnvelope(limited.dsn, [errorItem(4)]);
    const after = (await scrape(picket)).families;
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);

    expect(accepted.map((response) => response.status)).toEqual([200, 200]);
    expect(invalid.status).toBe(400);
    expect(filtered.status).toBe(200);
    expect(firstLimited.status).toBe(200);
    expect(secondLimited.status).toBe(429);
    const requests = 'picket_ingest_requests_total';
    expect(delta(requests, { endpoint: 'envelope', outcome: 'accepted' })).toBe(4);
    expect(delta(requests, { endpoint: 'envelope', outcome: 'invalid' })).toBe(1);
    expect(delta(requests, { endpoint: 'envelope', outcome: 'rate_limited' })).toBe(1);
    const items = 'picket_ingest_items_total';
    expect(delta(items, { category: 'error', outcome: 'accepted' })).toBe(3);
    expect(delta(items, { category: 'error', outcome: 'invalid' })).toBe(1);
    expect(delta(items, { category: 'profile', outcome: 'filtered' })).toBe(1);
    expect(delta(items, { category: 'error', outcome: 'rate_limited' })).toBe(1);
    const latency = 'picket_ingest_request_duration_seconds_count';
    expect(delta(latency, { outcome: 'accepted' })).toBe(4);
    expect(delta(latency, { outcome: 'invalid' })).toBe(1);
  });

  it('counts the worker batches that store the events', async () => {
    const before = (await scrape(picket)).families;

    const responses = await Promise.all(
      [11, 12, 13].map((seed) => sendEnvelope(project.dsn, [errorItem(seed)])),
    );
    // Events of the earlier tests may still be in the queue, so the worker must have stored
    // as many events as ingest accepted since the start.
    const after = await waitFor(async () => {
      const { families } = await scrape(picket);
      const stored = sampleValue(families, STORED_EVENTS.name, STORED_EVENTS.labels);
      const accepted = sampleValue(families, ACCEPTED_EVENTS.name, ACCEPTED_EVENTS.labels);
      return stored === accepted && stored >= 3 ? families : undefined;
    }, 30_000);
    const delta = (name: string) => sampleValue(after, name) - sampleValue(before, name);

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(sampleValue(after, STORED_EVENTS.name, STORED_EVENTS.labels)).toBe(
      sampleValue(after, ACCEPTED_EVENTS.name, ACCEPTED_EVENTS.labels),
    );
    expect(delta('picket_worker_batch_size_sum')).toBeGreaterThanOrEqual(3);
    expect(delta('picket_worker_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(delta('picket_worker_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'picket_worker_thread_up')).toBe(1);
  });

  it('reports the queue depth and lag once the queue drains', async () => {
    const families = await waitFor(async () => {
      const scraped = (await scrape(picket)).families;
      const drained =
        sampleValue(scraped, 'picket_queue_depth') === 0 &&
        sampleValue(scraped, 'picket_processing_lag_seconds') === 0;
      return drained ? scraped : undefined;
    }, 30_000);

    expect(sampleValue(families, 'picket_queue_depth')).toBe(0);
    expect(sampleValue(families, 'picket_processing_lag_seconds')).toBe(0);
  });

  it('names no project, organization or key in its labels', async () => {
    const { text, families } = await scrape(picket);
    const labelNames = new Set(
      [...families.values()].flatMap((family) =>
        family.samples.flatMap((sample) => Object.keys(sample.labels)),
      ),
    );

    for (const secret of [project.publicKey, project.orgSlug, project.projectSlug]) {
      expect(text).not.toContain(secret);
    }
    const labelValues = [...families.values()].flatMap((family) =>
      family.samples.flatMap((sample) =>
        Object.entries(sample.labels)
          .filter(([name]) => name !== 'le')
          .map(([, value]) => value),
      ),
    );
    expect(labelValues).not.toContain(String(project.projectId));
    expect([...labelNames].filter((name) => /project|org|key|dsn/i.test(name))).toEqual([]);
  });
});
