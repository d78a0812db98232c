import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { createPostgresSchema } from '../../../../test/helpers/picket.js';
import { connectDb } from './connect.js';

describe('connectDb on PostgreSQL', () => {
  it('survives a connection ended inside a transaction', async () => {
    const { url } = await createPostgresSchema();
    const db = connectDb({ databaseUrl: url, dataDir: '.', poolSize: 1 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();

    // The server ends the connection between two statements of a transaction, as a PostgreSQL
    // restart does. Without an error listener on the client, Node.js ends the process.
    const outcome = await db.kysely
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        await sql`SELECT 1`.execute(trx);
        return 'committed';
      })
      .catch(() => 'failed');
    const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(db.kysely);
    await admin.end();
    await db.close();

    expect(outcome).toBe('failed');
    expect(after.rows[0]?.one).toBe(1);
  });
});
