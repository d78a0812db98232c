/**
 * Configuration checks at start: half-configured TLS, an unreachable database and a shared
 * database without a key.
 */
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createPostgresSchema, startPicket } from '../helpers/picket.js';

describe('start checks', () => {
  it('fails with only PICKET_TLS_CERT set', async () => {
    const start = startPicket({ env: { PICKET_TLS_CERT: '/nonexistent/cert.pem' } });

    await expect(start).rejects.toThrow(/PICKET_TLS_CERT: is set but PICKET_TLS_KEY is not/);
  });

  it('fails with only PICKET_TLS_KEY set', async () => {
    const start = startPicket({ env: { PICKET_TLS_KEY: '/nonexistent/key.pem' } });

    await expect(start).rejects.toThrow(/PICKET_TLS_KEY: is set but PICKET_TLS_CERT is not/);
  });

  it('names DATABASE_URL when PostgreSQL is unreachable', async () => {
    const start = startPicket({ databaseUrl: 'postgres://picket:planted-pw@127.0.0.1:1/picket' });

    await expect(start).rejects.toThrow(
      /Cannot reach the PostgreSQL server of DATABASE_URL at 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
    await expect(start).rejects.not.toThrow(/planted-pw/);
  });

  it('fails on an unreadable certificate', async () => {
    const start = startPicket({
      env: { PICKET_TLS_CERT: '/nonexistent/cert.pem', PICKET_TLS_KEY: '/nonexistent/key.pem' },
    });

    await expect(start).rejects.toThrow(
      /Cannot read PICKET_TLS_CERT file "\/nonexistent\/cert.pem"/,
    );
  });

  it('warns about PostgreSQL without PICKET_SECRET_KEY', async () => {
    const picket = await startPicket({ databaseUrl: (await createPostgresSchema()).url });
    try {
      const warning = picket.logs.find((line) => line.includes('PICKET_SECRET_KEY is not'));

      expect(warning).toBeDefined();
      expect(warning).toContain('"level":40');
    } finally {
      await picket.stop();
    }
  }, 30_000);

  it('does not warn with PICKET_SECRET_KEY set', async () => {
    const key = randomBytes(32).toString('hex');
    const picket = await startPicket({
      databaseUrl: (await createPostgresSchema()).url,
      env: { PICKET_SECRET_KEY: key },
    });
    try {
      expect(picket.logs.some((line) => line.includes('PICKET_SECRET_KEY is not'))).toBe(false);
      expect(picket.logs.some((line) => line.includes(key))).toBe(false);
    } finally {
      await picket.stop();
    }
  }, 30_000);
});
