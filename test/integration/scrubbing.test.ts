import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';

import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import { plantedEvents } from '../helpers/planted-secrets.js';
import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const EVENT_COUNT = 200;

/** Returns a stored value as text, inflating compressed payloads. */
function cellText(value: unknown): string {
  if (Buffer.isBuffer(value)) {
    for (const decode of [inflateSync, gunzipSync]) {
      try {
        return decode(value).toString('utf8');
      } catch {
        // Not compressed this way; try the next decoder or keep the raw bytes.
      }
    }
    return value.toString('latin1');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type Row = Record<string, unknown>;

/**
 * Returns a row as text. An event payload compressed against a preset dictionary is inflated
 * with it, so that a secret in it shows as plain text too.
 */
function rowText(row: Row, dictionaries: Map<number, Buffer>): string {
  const dictionaryId = row.payload_dictionary_id;
  return Object.entries(row)
    .map(([column, value]) => {
      if (column === 'payload' && Buffer.isBuffer(value) && dictionaryId != null) {
        const dictionary = dictionaries.get(Number(dictionaryId));
        if (dictionary === undefined) {
          throw new Error(`payload dictionary ${String(dictionaryId)} is missing`);
        }
        return inflateSync(value, { dictionary }).toString('utf8');
      }
      return cellText(value);
    })
    .join('\t');
}

/** Reads the preset dictionaries of event payloads, inflated, by id. */
function readDictionaries(rows: Row[]): Map<number, Buffer> {
  return new Map(rows.map((row) => [Number(row.id), inflateSync(row.content as Buffer)]));
}

/** Reads every row of every table as text. */
async function dumpDatabase(picket: PicketInstance, databaseUrl: string | undefined) {
  const parts: string[] = [];
  if (databaseUrl === undefined) {
    const db = new Database(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const dictionaries = readDictionaries(
      db.prepare('SELECT id, content FROM payload_dictionaries').all() as Row[],
    );
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Row[]) {
        parts.push(rowText(row, dictionaries));
      }
    }
    db.close();
    return parts.join('\n');
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tables = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const dictionaries = readDictionaries(
    (await client.query<Row>('SELECT id, content FROM payload_dictionaries')).rows,
  );
  for (const { table_name: name } of tables.rows) {
    const rows = await client.query<Row>(`SELECT * FROM "${name}"`);
    for (const row of rows.rows) {
      parts.push(rowText(row, dictionaries));
    }
  }
  await client.end();
  return parts.join('\n');
}

/** Returns `file: secret` for each planted secret found in a file of the data folder. */
function findInDataFolder(dir: string, secrets: string[]): string[] {
  const hits: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      const bytes = fs.readFileSync(file);
      const text = `${bytes.toString('latin1')}\n${cellText(bytes)}`;
      for (const secret of secrets.filter((candidate) => text.includes(candidate))) {
        hits.push(`${path.relative(dir, file)}: ${secret}`);
      }
    }
  }
  return hits;
}

async function countEvents(picket: PicketInstance, project: TestProject): Promise<number> {
  const issues = (await apiGet(
    picket,
    project.token,
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/?query=&limit=100`,
  )) as { count: string }[];
  return issues.reduce((sum, issue) => sum + Number(issue.count), 0);
}

describe.each(SERVER_ENGINES)('data scrubbing on $name', ({ databaseUrl: makeUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let databaseUrl: string | undefined;
  const samples = fc.sample(plantedEvents, { numRuns: EVENT_COUNT, seed: 7 });
  const secrets = samples.flatMap((sample) => sample.secrets);

  beforeAll(async () => {
    databaseUrl = await makeUrl();
    picket = await startPicket({ databaseUrl });
    project = await setupProject(picket, 'scrub');

    for (let start = 0; start < samples.length; start += 20) {
      await Promise.all(
        samples.slice(start, start + 20).map(async ({ event }) => {
          const response = await sendEnvelope(
            project.dsn,
            [{ headers: { type: 'event' }, payload: event }],
            { event_id: event.event_id },
          );
          expect(response.status).toBe(200);
        }),
      );
    }
    await waitFor(
      async () => ((await countEvents(picket, project)) >= EVENT_COUNT ? true : undefined),
      60_000,
    );
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('stores no planted secret in the database', async () => {
    const text = await dumpDatabase(picket, databaseUrl);

    expect(text).toContain('[Filtered]');
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });

  it('writes no planted secret to the data folder', async () => {
    // The queue's copies go once the spool deletes processed rows, about a second after them.
    const hits = await waitFor(async () => {
      const found = findInDataFolder(picket.dataDir, secrets);
      return found.length === 0 ? found : undefined;
    }, 15_000).catch(() => findInDataFolder(picket.dataDir, secrets));

    expect(hits).toEqual([]);
  });

  it('logs no planted secret', () => {
    const text = picket.logs.join('\n');

    expect(picket.logs.length).toBeGreaterThan(0);
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });

  it('returns no planted secret from the API', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}`;
    const responses: unknown[] = [await apiGet(picket, project.token, `${base}/issues/?query=`)];
    for (const { event } of samples.slice(0, 25)) {
      responses.push(
        await apiGet(picket, project.token, `${base}/events/${String(event.event_id)}/`),
      );
    }
    const preview = await apiRequest(
      picket,
      project.token,
      'POST',
      `${base}/data-scrubbing/preview/`,
      {
        settings: { scrubIPAddresses: true },
      },
    );
    responses.push(preview);
    const text = JSON.stringify(responses);

    expect(text).toContain('[Filtered]');
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });
});
