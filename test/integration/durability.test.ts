import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { setupProject, startPicket, waitFor, type PicketInstance } from '../helpers/picket.js';

describe('durable ingest', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-durability-'));
  let restarted: PicketInstance | undefined;

  afterAll(async () => {
    await restarted?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event through kill -9', async () => {
    const first = await startPicket({ dataDir });
    const project = await setupProject(first, 'durable');
    const url = `${first.url}/api/${project.projectId}/envelope/?sentry_key=${project.publicKey}`;
    const ids = Array.from({ length: 1000 }, (_, index) =>
      (index + 1).toString(16).padStart(32, 'd'),
    );

    const responses = await Promise.all(
      ids.map(async (id, index) => {
        const event = { event_id: id, message: `durable message ${index % 7}`, level: 'info' };
        const response = await fetch(url, {
          method: 'POST',
          body: `{"event_id":"${id}"}\n{"type":"event"}\n${JSON.stringify(event)}`,
        });
        return response.status;
      }),
    );
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));

    restarted = await startPicket({ dataDir });
    const server = restarted;
    const stored = await waitFor(async () => {
      const counts = await Promise.all(
        ids.map(async (id) => {
          const response = await fetch(
            `${server.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${id}/`,
            { headers: { authorization: `Bearer ${project.token}` } },
          );
          await response.arrayBuffer();
          return response.ok ? 1 : 0;
        }),
      );
      const total = counts.reduce<number>((sum, count) => sum + count, 0);
      return total === ids.length ? total : undefined;
    }, 30_000);

    expect(responses.every((status) => status === 200)).toBe(true);
    expect(stored).toBe(ids.length);
  });
});
