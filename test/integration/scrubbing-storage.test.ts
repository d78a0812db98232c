/**
 * Scrubs queue records through the worker's `processRecords` on real SQLite and PostgreSQL,
 * with settings stored in `scrubbing_settings`, and checks what the worker stores and logs.
 */
import { Writable } from 'node:stream';
import { inflateSync } from 'node:zlib';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ItemMeta } from '../../src/server/features/ingest/item-kinds.js';
import { readStoredPayloads } from '../../src/server/features/events/index.js';
import { ScrubbingSettingsRepository } from '../../src/server/features/scrubbing/index.js';
import { processRecords } from '../../src/server/features/worker/process-records.js';
import type { Db } from '../../src/server/platform/db/index.js';
import type { ClaimedRecord } from '../../src/server/platform/queue/index.js';
import { STORAGE_ENGINES, createTestProject, type TestProjectRows } from '../helpers/engines.js';

const RECEIVED_AT = Date.UTC(2026, 11, 4, 12, 0, 0);
let nextRecordId = 1;

function eventRecord(projectId: number, event: Record<string, unknown>): ClaimedRecord {
  nextRecordId += 1;
  const meta = {
    eventId: event.event_id,
    sentAt: undefined,
    clientIp: '198.51.100.7',
    client: 'sentry.javascript.node/11.12.0',
  };
  return {
    id: nextRecordId,
    projectId,
    kind: 'event',
    receivedAt: RECEIVED_AT,
    body: JSON.stringify({ meta, event }),
  };
}

function itemRecord(projectId: number, kind: string, item: unknown): ClaimedRecord {
  nextRecordId += 1;
  const meta: ItemMeta = {
    eventId: undefined,
    sentAt: undefined,
    clientIp: '198.51.100.7',
    client: 'sentry.javascript.node/11.12.0',
    sdk: undefined,
    trace: undefined,
    itemHeaders: { type: kind },
  };
  return {
    id: nextRecordId,
    projectId,
    kind,
    receivedAt: RECEIVED_AT,
    body: JSON.stringify({ meta, item }),
  };
}

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

async function storedPayload(db: Db, eventId: string): Promise<Record<string, unknown>> {
  const row = await db.kysely
    .selectFrom('events')
    .select(['payload', 'payloadDictionaryId'])
    .where('eventId', '=', eventId)
    .executeTakeFirstOrThrow();
  const [json] = await readStoredPayloads(db.kysely, [row]);
  return JSON.parse(json?.toString('utf8') ?? 'null') as Record<string, unknown>;
}

describe.each(STORAGE_ENGINES)('scrubbing in the worker on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let project: TestProjectRows;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    const { migrateToLatest } = await import('../../src/server/platform/db/index.js');
    await migrateToLatest(db.kysely, db.dialect);
    project = await createTestProject(db);
  });

  afterAll(async () => {
    await cleanup();
  });

  const run = (records: ClaimedRecord[], log = captureLogger().log) =>
    db.kysely.transaction().execute((trx) => processRecords(trx, db.dialect, records, log));

  it('filters passwords with the default settings', async () => {
    const eventId = 'a'.repeat(32);
    await run([
      eventRecord(project.projectId, {
        event_id: eventId,
        message: 'login failed',
        extra: { password: 'hunter2-default', note: 'plain' },
      }),
    ]);

    const stored = await storedPayload(db, eventId);

    expect(stored.extra).toEqual({ password: '[Filtered]', note: 'plain' });
    expect(stored._meta).toEqual({
      extra: { password: { '': { rem: [['@password:filter', 's', 0, 10]], len: 15 } } },
    });
  });

  it('applies the organization and project settings stored in the table', async () => {
    const settings = new ScrubbingSettingsRepository(db.kysely);
    await settings.write(project.organizationId, 0, {
      dataScrubber: false,
      dataScrubberDefaults: false,
      scrubIPAddresses: true,
      sensitiveFields: ['customer_ref'],
      safeFields: [],
      relayPiiConfig: null,
    });
    await settings.write(project.organizationId, project.projectId, {
      dataScrubber: true,
      dataScrubberDefaults: true,
      scrubIPAddresses: false,
      sensitiveFields: [],
      safeFields: ['extra.keep_password'],
      relayPiiConfig: JSON.stringify({
        rules: { order: { type: 'pattern', pattern: 'ORD-[0-9]+', redaction: { method: 'mask' } } },
        applications: { $string: ['order'] },
      }),
    });
    const eventId = 'b'.repeat(32);

    await run([
      eventRecord(project.projectId, {
        event_id: eventId,
        user: { ip_address: '{{auto}}', id: '7' },
        extra: { customer_ref: 'C-991', keep_password: 'visible', order: 'ORD-12345' },
      }),
    ]);
    const stored = await storedPayload(db, eventId);

    expect(stored.user).toEqual({ id: '7' });
    expect(stored.extra).toEqual({
      customer_ref: '[Filtered]',
      keep_password: 'visible',
      order: '*********',
    });
    await settings.write(project.organizationId, 0, {
      dataScrubber: false,
      dataScrubberDefaults: false,
      scrubIPAddresses: false,
      sensitiveFields: [],
      safeFields: [],
      relayPiiConfig: null,
    });
    await settings.write(project.organizationId, project.projectId, {
      dataScrubber: true,
      dataScrubberDefaults: true,
      scrubIPAddresses: false,
      sensitiveFields: [],
      safeFields: [],
      relayPiiConfig: null,
    });
  });

  it('scrubs transactions and their spans before they are stored', async () => {
    const secret = 'tx-secret-4471';
    await run([
      itemRecord(project.projectId, 'transaction', {
        type: 'transaction',
        event_id: 'c'.repeat(32),
        transaction: 'GET /login',
        start_timestamp: RECEIVED_AT / 1000 - 2,
        timestamp: RECEIVED_AT / 1000 - 1,
        contexts: { trace: { trace_id: 'd'.repeat(32), span_id: 'e'.repeat(16), op: 'http' } },
        extra: { api_key: secret },
        spans: [
          {
            span_id: 'f'.repeat(16),
            trace_id: 'd'.repeat(32),
            start_timestamp: RECEIVED_AT / 1000 - 2,
            timestamp: RECEIVED_AT / 1000 - 1,
            op: 'db',
            data: { 'db.password': secret },
          },
        ],
      }),
    ]);

    const tables = ['transactions', 'spans'] as const;
    for (const table of tables) {
      const rows = await db.kysely.selectFrom(table).selectAll().execute();
      const text = JSON.stringify(rows, (_key, value: unknown) =>
        Buffer.isBuffer(value) ? inflateSafe(value) : value,
      );
      expect(text).not.toContain(secret);
    }
  });

  it('logs a failed event without its payload', async () => {
    const secret = 'pw-in-broken-json-5521';
    const { log, lines } = captureLogger();
    const broken: ClaimedRecord = {
      id: 999_999,
      projectId: project.projectId,
      kind: 'event',
      receivedAt: RECEIVED_AT,
      body: `{"meta": {"eventId": null}, "event": {"password": "${secret}"`,
    };

    await run([broken], log);
    const output = lines.join('');

    expect(output).toContain('event processing failed');
    expect(output).toContain('SyntaxError');
    expect(output).not.toContain(secret);
  });
});

function inflateSafe(value: Buffer): string {
  try {
    return inflateSync(value).toString('utf8');
  } catch {
    return value.toString('latin1');
  }
}
