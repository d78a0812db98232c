import { describe, expect, it } from 'vitest';

import { connectDb } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { ProjectKeyCache } from './project-key-cache.js';

// Port 1 on loopback has no listener, so every query fails as during a PostgreSQL outage.
const UNREACHABLE_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/test';

describe('ProjectKeyCache', () => {
  it('throws 503 with Retry-After when the database is down', async () => {
    const db = connectDb({ databaseUrl: UNREACHABLE_DATABASE_URL, dataDir: '.', poolSize: 1 });
    const keys = new ProjectKeyCache(db.kysely);

    const error = await keys.findActiveKey('0123456789abcdef').catch((caught: unknown) => caught);
    await db.close();

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).headers['Retry-After']).toBe('5');
  });
});
