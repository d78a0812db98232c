import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import type { Kysely } from 'kysely';

import {
  AccountRepository,
  createApiTokenValue,
  hashPassword,
  hashSecret,
  isScope,
  MIN_PASSWORD_LENGTH,
  SCOPES,
} from '../features/accounts/index.js';
import { recordAudit } from '../features/audit/index.js';
import { rotateSecrets } from '../features/secrets/index.js';
import { startServer } from '../main/serve.js';
import { QUEUE_USAGE, QueueUsageError, runQueueCommand } from './queue-command.js';
import { openSecretBox, SecretBoxError } from '../platform/crypto/secret-box.js';
import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { connectDb, migrateToLatest, type Database } from '../platform/db/index.js';
import { createLogger } from '../platform/logger.js';

const USAGE = `Usage: picket <command> [options]

Commands:
  serve [--role all|ingest|worker|web]   Start the server (default role: all)
  migrate                                Apply database migrations and exit
  createuser --email E --password-stdin [--superuser] [--name N]
                                         Create a user; the password is read from stdin
  setpassword --email E --password-stdin Set a user's password and end their sessions
  token create --user E --scopes S1,S2 [--name N]
                                         Create an API token and print it
  secrets generate-key                   Print a new random PICKET_SECRET_KEY (64 hex digits)
  secrets rotate                         Re-seal every stored secret with PICKET_SECRET_KEY,
                                         opening old values with PICKET_SECRET_KEY_PREVIOUS
${QUEUE_USAGE}

Environment: PORT (default 8000), HOST (default 127.0.0.1), PICKET_DATA_DIR (default ./data),
DATABASE_URL (PostgreSQL; default: SQLite in the data folder), PICKET_URL (public base URL),
PICKET_SECRET_KEY, PICKET_SECRET_KEY_PREVIOUS (comma-separated), PICKET_TLS_CERT, PICKET_TLS_KEY,
REDIS_URL (Redis queue; needs DATABASE_URL), PICKET_REDIS_PREFIX (key prefix, default picket),
PICKET_BLOB_URL (s3://bucket/prefix; AWS_* variables for endpoint, region and keys),
PICKET_RETENTION_DAYS (default 90). All variables: docs/deployment.md and the README.
`;

const ROLES = ['all', 'ingest', 'worker', 'web'] as const;

class UsageError extends Error {}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function withAccounts<T>(
  config: Config,
  action: (accounts: AccountRepository, db: Kysely<Database>) => Promise<T>,
) {
  const db = connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    await migrateToLatest(db.kysely, db.dialect);
    return await action(new AccountRepository(db.kysely), db.kysely);
  } finally {
    await db.close();
  }
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } } });
  const role = ROLES.find((candidate) => candidate === values.role);
  if (role === undefined) {
    throw new UsageError(`Invalid --role ${JSON.stringify(values.role)}: use ${ROLES.join(', ')}`);
  }

  const config = loadConfig(process.env, role);
  const log = createLogger();
  const server = await startServer(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
}

async function createUser(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      superuser: { type: 'boolean', default: false },
    },
  });
  const email = values.email?.trim();
  if (email === undefined || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw new UsageError('createuser needs --email with a valid e-mail address');
  }
  if (!values['password-stdin']) {
    throw new UsageError('createuser needs --password-stdin (the password is read from stdin)');
  }

  const password = await readStdin();
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  await withAccounts(loadConfig(), async (accounts) => {
    if ((await accounts.findUserByEmail(email)) !== undefined) {
      throw new UsageError(`A user with the e-mail ${email} already exists`);
    }
    const user = await accounts.createUser({
      email,
      name: values.name ?? email,
      passwordHash: await hashPassword(password),
      isSuperuser: values.superuser,
    });
    print(`Created user ${user.email} (id ${user.id})${values.superuser ? ' as superuser' : ''}`);
  });
}

/**
 * Sets a user's password from standard input, for a user who forgot it: there is no reset by
 * e-mail. Every session of the user ends, and the audit log records the change.
 */
async function setPassword(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const email = values.email?.trim();
  if (email === undefined || email === '') {
    throw new UsageError('setpassword needs --email');
  }
  if (!values['password-stdin']) {
    throw new UsageError('setpassword needs --password-stdin (the password is read from stdin)');
  }
  const password = await readStdin();
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  await withAccounts(loadConfig(), async (accounts, db) => {
    const user = await accounts.findUserByEmail(email);
    if (user === undefined) {
      throw new UsageError(`No user has the e-mail ${email}`);
    }
    await accounts.updatePassword(user.id, await hashPassword(password));
    await recordAudit(db, undefined, {
      organizationId: null,
      event: 'user.password-change',
      targetType: 'user',
      targetId: user.id,
      data: { via: 'cli' },
      actor: { userId: null, label: 'picket setpassword' },
    });
    print(`Set a new password for ${user.email}; their sessions have ended`);
  });
}

async function createToken(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string', default: 'cli' },
    },
  });
  if (values.user === undefined) {
    throw new UsageError('token create needs --user with the e-mail of an existing user');
  }

  const scopes = (values.scopes ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter((s) => s !== '');
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `token create needs --scopes from: ${SCOPES.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }

  const email = values.user;
  await withAccounts(loadConfig(), async (accounts) => {
    const user = await accounts.findUserByEmail(email);
    if (user === undefined) {
      throw new UsageError(`No user with the e-mail ${email}`);
    }
    const token = createApiTokenValue();
    await accounts.createToken({
      userId: user.id,
      name: values.name,
      tokenHash: hashSecret(token),
      tokenLastCharacters: token.slice(-4),
      scopes: scopes.join(' '),
      expiresAt: null,
    });
    print(token);
  });
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const db = connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    const applied = await migrateToLatest(db.kysely, db.dialect);
    print(applied.length === 0 ? 'No pending migrations' : `Applied: ${applied.join(', ')}`);
  } finally {
    await db.close();
  }
}

async function rotateStoredSecrets(): Promise<void> {
  const config = loadConfig();
  const box = openSecretBox({
    secretKey: config.secretKey,
    previousKeys: config.previousSecretKeys,
    dataDir: config.dataDir,
  });
  const db = connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    await migrateToLatest(db.kysely, db.dialect);
    await rotateSecrets(db.kysely, box, (table) => {
      print(
        `${table.table}: ${table.resealed} re-sealed, ${table.alreadyCurrent} already sealed with key ${box.currentKeyId}`,
      );
    });
  } finally {
    await db.close();
  }
}

function secrets(args: string[]): Promise<void> {
  switch (args[0]) {
    case 'generate-key':
      print(randomBytes(32).toString('hex'));
      return Promise.resolve();
    case 'rotate':
      return rotateStoredSecrets();
    default:
      throw new UsageError(
        'Unknown secrets command: use "secrets generate-key" or "secrets rotate"',
      );
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;

  switch (command) {
    case 'serve':
      return serve(rest);
    case 'migrate':
      return migrate();
    case 'createuser':
      return createUser(rest);
    case 'setpassword':
      return setPassword(rest);
    case 'token':
      if (rest[0] !== 'create') {
        throw new UsageError('Unknown token command: use "token create"');
      }
      return createToken(rest.slice(1));
    case 'secrets':
      return secrets(rest);
    case 'queue':
      return runQueueCommand(loadConfig(), rest, print);
    case undefined:
    case 'help':
    case '--help':
      print(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof SecretBoxError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof QueueUsageError
  ) {
    process.stderr.write(`${error.message}\n`);
    if (error instanceof UsageError || error instanceof QueueUsageError) {
      process.stderr.write(`\n${USAGE}`);
    }
    process.exit(2);
  }
  if (
    error instanceof TypeError &&
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
  ) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(
    `picket: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
