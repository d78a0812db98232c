import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { runCli } from '../helpers/picket.js';

describe('picket serve after a newer migration', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-upgrade-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PICKET_DATA_DIR: dataDir, PORT: '0' };
  delete env.DATABASE_URL;

  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start against a database with an unknown migration', async () => {
    const migrated = await runCli(['migrate'], { env });
    const db = new Database(path.join(dataDir, 'picket.sqlite'));
    db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(
      '9999-from-a-newer-version',
      new Date().toISOString(),
    );
    db.close();
    const served = await runCli(['serve'], { env });

    expect(migrated.code).toBe(0);
    expect(served.code).toBe(1);
    expect(served.stderr).toContain(
      'The database has migration 9999-from-a-newer-version, which this version of Picket does not know',
    );
    expect(served.stdout).not.toContain('server listening');
  }, 120_000);
});
