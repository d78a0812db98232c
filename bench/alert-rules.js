// Alert rule cost: runs the worker's processRecords over the same batches of error events on a
// fresh SQLite database, once with no rules and once with 20 active rules on the project, and
// prints events/s of each. Needs the build (npm run build). Usage: node bench/alert-rules.js
// [--batches 20 --batch-size 500 --issues 50]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { connectDb, migrateToLatest } from '../dist/server/platform/db/index.js';
import { OrganizationRepository } from '../dist/server/features/organizations/index.js';
import { processRecords } from '../dist/server/features/worker/process-records.js';
import { createLogger } from '../dist/server/platform/logger.js';
import { ACTION_IDS, CONDITION_IDS, FILTER_IDS } from '../dist/shared/api/alerts.js';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '500' },
    issues: { type: 'string', default: '50' },
  },
});
const batches = Number(values.batches);
const batchSize = Number(values['batch-size']);
const issueCount = Number(values.issues);

function rules(count) {
  const shapes = [
    { conditions: [{ id: CONDITION_IDS.firstSeen }], filters: [] },
    {
      conditions: [{ id: CONDITION_IDS.frequency, value: 1_000_000, interval: '1h' }],
      filters: [],
    },
    {
      conditions: [{ id: CONDITION_IDS.firstSeen }, { id: CONDITION_IDS.regression }],
      filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'x' }],
    },
    {
      conditions: [{ id: CONDITION_IDS.userFrequency, value: 1_000_000, interval: '1d' }],
      filters: [
        { id: FILTER_IDS.attribute, attribute: 'exception.type', match: 'co', value: 'Error' },
      ],
    },
  ];
  return Array.from({ length: count }, (_, index) => ({ ...shapes[index % shapes.length], index }));
}

async function run(ruleCount) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bench-rules-'));
  const db = connectDb({ databaseUrl: undefined, dataDir });
  await migrateToLatest(db.kysely, db.dialect);
  const user = await db.kysely
    .insertInto('users')
    .values({ email: 'b@example.com', name: 'b', passwordHash: 'x', isSuperuser: 0, createdAt: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organizations = new OrganizationRepository(db.kysely);
  const organization = await organizations.createOrganization({
    slug: 'b',
    name: 'b',
    ownerId: user.id,
  });
  const team = await organizations.findTeam(organization.id, 'b');
  const project = await organizations.createProject({
    organizationId: organization.id,
    teamId: team.id,
    slug: 'web',
    name: 'web',
    platform: 'node',
  });
  for (const rule of rules(ruleCount)) {
    await db.kysely
      .insertInto('alertRules')
      .values({
        projectId: project.id,
        name: `rule ${rule.index}`,
        environment: null,
        actionMatch: 'any',
        filterMatch: 'all',
        frequencyMinutes: 30,
        conditions: JSON.stringify(rule.conditions),
        filters: JSON.stringify(rule.filters),
        actions: JSON.stringify([{ id: ACTION_IDS.slack, url: 'https://hooks.example.com/x' }]),
        status: 'active',
        owner: null,
        createdBy: null,
        createdAt: 1,
        updatedAt: 1,
        lastTriggered: null,
      })
      .execute();
  }
  const log = createLogger('error');
  let id = 0;
  const makeBatch = () =>
    Array.from({ length: batchSize }, () => {
      id += 1;
      const eventId = crypto.randomUUID().replace(/-/g, '');
      const n = id % issueCount;
      return {
        id,
        projectId: project.id,
        kind: 'event',
        receivedAt: Date.now(),
        body: JSON.stringify({
          meta: { eventId, sentAt: undefined, clientIp: '127.0.0.1', client: 'bench' },
          event: {
            event_id: eventId,
            platform: 'node',
            level: 'error',
            environment: 'production',
            release: 'web@1',
            user: { id: String(id % 200) },
            tags: { feature: n % 2 === 0 ? 'x' : 'y' },
            exception: {
              values: [
                {
                  type: `Error${n}`,
                  value: `failure ${n}`,
                  stacktrace: { frames: [{ function: `f${n}`, filename: 'app.js', lineno: n }] },
                },
              ],
            },
          },
        }),
      };
    });
  const prepared = Array.from({ length: batches }, makeBatch);
  const started = performance.now();
  for (const records of prepared) {
    await db.kysely.transaction().execute((trx) =>
      processRecords(trx, db.dialect, records, log, undefined, {
        baseUrl: 'http://localhost:8000',
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const firings = await db.kysely
    .selectFrom('alertFirings')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { ruleCount, events: batches * batchSize, seconds, firings: Number(firings?.n ?? 0) };
}

for (const count of [0, 20, 0, 20]) {
  // The worker caches each project's rules for 2 s, and every fresh database reuses project id 1.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  const result = await run(count);
  console.log(
    `${String(result.ruleCount).padStart(2)} rules: ${(result.events / result.seconds).toFixed(0)} events/s (${result.events} events in ${result.seconds.toFixed(2)} s, ${result.firings} firings)`,
  );
}
