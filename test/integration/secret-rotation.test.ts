/**
 * `picket secrets generate-key` and `picket secrets rotate` on SQLite and PostgreSQL: values
 * sealed with key A are re-sealed with key B, then open with B alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  instanceSecretContext,
  totpSecretContext,
} from '../../src/server/features/secrets/index.js';
import { parseSecretKey, SecretBox } from '../../src/server/platform/crypto/secret-box.js';
import { connectDb, migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { runCli, startPicket } from '../helpers/picket.js';

const TOTP_SEED = 'JBSWY3DPEHPK3PXP';
const SMTP_PASSWORD = 'smtp password 1';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) {
    await cleanups.pop()?.();
  }
});

async function generateKey(): Promise<string> {
  const result = await runCli(['secrets', 'generate-key'], { env: process.env });
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

interface Fixture {
  db: Db;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  userId: number;
  sealedAuthenticatorId: number;
  jsonAuthenticatorId: number;
  webauthnAuthenticatorId: number;
}

/** Opens the engine's database with rows sealed by `box`: two instance secrets and TOTP seeds. */
async function seedSealedRows(databaseUrl: string | undefined, box: SecretBox): Promise<Fixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-rotate-'));
  const db = connectDb({ databaseUrl, dataDir });
  cleanups.push(async () => {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  await migrateToLatest(db.kysely, db.dialect);

  const user = await db.kysely
    .insertInto('users')
    .values({
      email: 'rotate@example.com',
      name: 'R',
      passwordHash: 'x',
      isSuperuser: 0,
      createdAt: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const userId = Number(user.id);
  await db.kysely
    .insertInto('instanceSecrets')
    .values([
      {
        name: 'smtp-password',
        value: box.seal(SMTP_PASSWORD, instanceSecretContext('smtp-password')),
        updatedAt: 1,
      },
      { name: 'plain-setting', value: 'not sealed', updatedAt: 1 },
    ])
    .execute();
  const insertAuthenticator = async (type: string, config: string) =>
    Number(
      (
        await db.kysely
          .insertInto('userAuthenticators')
          .values({ userId, type, name: type, config, createdAt: 1, lastUsedAt: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const sealedAuthenticatorId = await insertAuthenticator(
    'totp',
    box.seal(TOTP_SEED, totpSecretContext(userId)),
  );
  const jsonAuthenticatorId = await insertAuthenticator(
    'totp',
    JSON.stringify({ secret: box.seal(TOTP_SEED, totpSecretContext(userId)), digits: 6 }),
  );
  const webauthnAuthenticatorId = await insertAuthenticator(
    'webauthn',
    JSON.stringify({ credentialId: 'abc', publicKey: 'pk1-is-not-a-prefix-here', counter: 3 }),
  );

  const env: NodeJS.ProcessEnv = { ...process.env, PICKET_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.PICKET_SECRET_KEY;
  delete env.PICKET_SECRET_KEY_PREVIOUS;
  if (databaseUrl !== undefined) {
    env.DATABASE_URL = databaseUrl;
  }
  return {
    db,
    env,
    dataDir,
    userId,
    sealedAuthenticatorId,
    jsonAuthenticatorId,
    webauthnAuthenticatorId,
  };
}

async function readRows(fixture: Fixture) {
  const smtp = await fixture.db.kysely
    .selectFrom('instanceSecrets')
    .select('value')
    .where('name', '=', 'smtp-password')
    .executeTakeFirstOrThrow();
  const plain = await fixture.db.kysely
    .selectFrom('instanceSecrets')
    .select('value')
    .where('name', '=', 'plain-setting')
    .executeTakeFirstOrThrow();
  const authenticators = await fixture.db.kysely
    .selectFrom('userAuthenticators')
    .select(['id', 'config'])
    .execute();
  const configOf = (id: number) =>
    authenticators.find((row) => Number(row.id) === id)?.config ?? '';
  return {
    smtp: smtp.value,
    plain: plain.value,
    sealedTotp: configOf(fixture.sealedAuthenticatorId),
    jsonTotp: JSON.parse(configOf(fixture.jsonAuthenticatorId)) as {
      secret: string;
      digits: number;
    },
    webauthn: configOf(fixture.webauthnAuthenticatorId),
  };
}

describe('secrets generate-key', () => {
  it('prints a new 32-byte key', async () => {
    const first = await generateKey();
    const second = await generateKey();

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(parseSecretKey(first, 'key')).toHaveLength(32);
    expect(second).not.toBe(first);
  });
});

describe.each(SERVER_ENGINES)('secrets rotate on $name', (engine) => {
  it('re-seals values from key A to key B', async () => {
    const keyA = await generateKey();
    const keyB = await generateKey();
    const boxA = new SecretBox(parseSecretKey(keyA, 'A'));
    const fixture = await seedSealedRows(await engine.databaseUrl(), boxA);
    const before = await readRows(fixture);

    const rotated = await runCli(['secrets', 'rotate'], {
      env: { ...fixture.env, PICKET_SECRET_KEY: keyB, PICKET_SECRET_KEY_PREVIOUS: keyA },
    });

    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('instance_secrets: 1 re-sealed, 0 already sealed');
    expect(rotated.stdout).toContain('user_authenticators: 2 re-sealed, 0 already sealed');

    // Key A is gone: only B is configured from here on.
    const boxB = new SecretBox(parseSecretKey(keyB, 'B'));
    const after = await readRows(fixture);
    const userContext = totpSecretContext(fixture.userId);
    expect(after.smtp).not.toBe(before.smtp);
    expect(boxB.open(after.smtp, instanceSecretContext('smtp-password'))).toBe(SMTP_PASSWORD);
    expect(boxB.open(after.sealedTotp, userContext)).toBe(TOTP_SEED);
    expect(boxB.open(after.jsonTotp.secret, userContext)).toBe(TOTP_SEED);
    expect(after.jsonTotp.digits).toBe(6);
    expect(after.plain).toBe('not sealed');
    expect(after.webauthn).toBe(before.webauthn);
    expect(() => boxA.open(after.smtp, instanceSecretContext('smtp-password'))).toThrow();

    const again = await runCli(['secrets', 'rotate'], {
      env: { ...fixture.env, PICKET_SECRET_KEY: keyB },
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('instance_secrets: 0 re-sealed, 1 already sealed');
    expect(again.stdout).toContain('user_authenticators: 0 re-sealed, 2 already sealed');

    const picket = await startPicket({
      databaseUrl: fixture.env.DATABASE_URL,
      dataDir: fixture.dataDir,
      env: { PICKET_SECRET_KEY: keyB },
    });
    cleanups.push(() => picket.stop());
    const health = await fetch(`${picket.url}/_health`);
    expect(health.status).toBe(200);
  }, 60_000);

  it('leaves values alone without the old key', async () => {
    const keyA = await generateKey();
    const keyC = await generateKey();
    const fixture = await seedSealedRows(
      await engine.databaseUrl(),
      new SecretBox(parseSecretKey(keyA, 'A')),
    );
    const before = await readRows(fixture);

    const rotated = await runCli(['secrets', 'rotate'], {
      env: { ...fixture.env, PICKET_SECRET_KEY: keyC },
    });

    expect(rotated.code).toBe(1);
    expect(rotated.stderr).toContain('instance_secrets row "smtp-password"');
    expect(rotated.stderr).toContain('PICKET_SECRET_KEY_PREVIOUS');
    expect(rotated.stderr).not.toContain(SMTP_PASSWORD);
    expect(await readRows(fixture)).toEqual(before);
  }, 60_000);
});
