/**
 * S8 and S9: decompression bombs and deeply nested JSON. Each must get a 4xx, the server must
 * stay up, and its peak resident set (VmHWM) must grow by less than 64 MiB over all bombs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildBombs, BOMB_BYTES } from './lib/bombs.js';
import { send } from './lib/http-client.js';
import { reportScore } from './lib/scorecard.js';
import {
  crashLines,
  isAlive,
  readProcStatusKib,
  startSecurityPicket,
  type SecurityPicket,
} from './lib/security-server.js';
import { buildSingleOrganization, type Organization } from './lib/world.js';

const MAX_RSS_GROWTH_KIB = 64 * 1024;
const DEPTH = 500_000;

const BOMB_ROUTES = ['envelope/', 'store/', 'minidump/', 'security/', 'otlp/v1/traces'];

describe('S8 decompression bombs and S9 deep JSON', () => {
  let picket: SecurityPicket;
  let org: Organization;

  beforeAll(async () => {
    picket = await startSecurityPicket();
    org = await buildSingleOrganization(picket);
  }, 120_000);

  afterAll(async () => {
    await picket?.stop();
  });

  it('rejects every bomb with a 4xx and bounded memory', async () => {
    const bombs = await buildBombs();
    const before = readProcStatusKib(picket.pid, 'VmHWM');
    const outcomes: string[] = [];
    const wrong: string[] = [];
    let slowestMs = 0;
    for (const bomb of bombs) {
      for (const route of BOMB_ROUTES) {
        const started = performance.now();
        const result = await send({
          method: 'POST',
          url: `${picket.url}/api/${org.ids.projectId}/${route}?sentry_key=${org.ids.sentryKey}&sentry_version=7`,
          headers: { 'content-encoding': bomb.encoding, 'content-type': 'application/json' },
          body: new Uint8Array(bomb.body),
        });
        const elapsed = performance.now() - started;
        slowestMs = Math.max(slowestMs, elapsed);
        const peakKib = readProcStatusKib(picket.pid, 'VmHWM');
        outcomes.push(
          `${bomb.name} ${route}: ${result.status}, peak +${Math.round((peakKib - before) / 1024)} MiB`,
        );
        if (result.status < 400 || result.status > 499) {
          wrong.push(
            `${bomb.name} (${bomb.body.length} bytes) to ${route}: ${result.status} ${result.text.slice(0, 200)}`,
          );
        }
      }
    }
    const growthKib = readProcStatusKib(picket.pid, 'VmHWM') - before;
    const sizes = bombs
      .map((bomb) => `${bomb.name} ${Math.round(bomb.body.length / 1024)} KiB`)
      .join(', ');
    reportScore(
      `S8 decompression bombs: ${wrong.length} of ${outcomes.length} not answered 4xx; peak RSS growth ${(growthKib / 1024).toFixed(1)} MiB (limit 64); slowest answer ${Math.round(slowestMs)} ms (${BOMB_BYTES / 1024 / 1024} MiB of zeros as ${sizes})`,
    );
    expect(wrong).toEqual([]);
    expect(
      growthKib,
      `peak RSS grew by more than 64 MiB: ingest buffers a body up to its decompressed limit before the 413\n${outcomes.join('\n')}`,
    ).toBeLessThan(MAX_RSS_GROWTH_KIB);
    expect(isAlive(picket)).toBe(true);
  }, 180_000);

  it('rejects JSON nested 500,000 deep with 400', async () => {
    const arrays = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
    const objects = `${'{"a":'.repeat(DEPTH / 5)}1${'}'.repeat(DEPTH / 5)}`;
    const ingest = (route: string) =>
      `${picket.url}/api/${org.ids.projectId}/${route}?sentry_key=${org.ids.sentryKey}&sentry_version=7`;
    const targets = [
      { name: 'store arrays', url: ingest('store/'), body: arrays, headers: {} },
      { name: 'store objects', url: ingest('store/'), body: objects, headers: {} },
      {
        name: 'envelope event item',
        url: ingest('envelope/'),
        body: `{}\n{"type":"event","length":${arrays.length}}\n${arrays}\n`,
        headers: {},
      },
      {
        name: 'envelope header',
        url: ingest('envelope/'),
        body: `${objects}\n{"type":"event"}\n{}\n`,
        headers: {},
      },
      { name: 'security report', url: ingest('security/'), body: objects, headers: {} },
      {
        name: 'web API JSON body',
        url: `${picket.url}/api/0/organizations/${org.slug}/searches/`,
        body: objects,
        headers: { authorization: `Bearer ${org.ownerToken}` } as Record<string, string>,
      },
    ];
    const wrong: string[] = [];
    for (const target of targets) {
      const result = await send({
        method: 'POST',
        url: target.url,
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
      });
      if (result.status !== 400) {
        wrong.push(`${target.name}: ${result.status} ${result.text.slice(0, 200)}`);
      }
    }
    // The worker processes what ingest accepted; give it a moment to fail if it would.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const alive =
      isAlive(picket) &&
      (await send({ method: 'GET', url: `${picket.url}/api/0/` })).status === 200;
    reportScore(
      `S9 deep JSON (depth ${DEPTH}, ~1 MB): ${wrong.length} of ${targets.length} not answered 400; process ${alive ? 'alive' : 'DEAD'}`,
    );
    expect(wrong).toEqual([]);
    expect(alive).toBe(true);
    expect(crashLines(picket)).toEqual([]);
  }, 60_000);
});
