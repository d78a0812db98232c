import path from 'node:path';

import { z } from 'zod';

/**
 * Server configuration read from the environment once at start. Every variable is validated
 * together, so a bad start lists all problems at once and names each variable.
 */
export interface Config {
  /** TCP port of the HTTP listener (`PORT`, default 8000; 0 picks a free port). */
  port: number;
  /** Address the HTTP listener binds to (`HOST`, default 127.0.0.1). */
  host: string;
  /** Folder for the embedded database, queue and blobs (`PICKET_DATA_DIR`, default `./data`). */
  dataDir: string;
  /** PostgreSQL URL (`DATABASE_URL`); when unset, SQLite in the data folder is used. */
  databaseUrl: string | undefined;
  /** Public base URL used in DSNs and links (`PICKET_URL`, default `http://HOST:PORT`). */
  publicUrl: string | undefined;
  /** Roles this process runs (`--role`): ingest, worker and web, or all three. */
  role: 'all' | 'ingest' | 'worker' | 'web';
  /** Whether session cookies carry `Secure` (`PICKET_SECURE_COOKIES`, default on for https URLs). */
  secureCookies: boolean;
}

const envSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be a port number from 0 to 65535')
    .default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PICKET_DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .refine(
      (value) => /^postgres(ql)?:\/\//.test(value),
      'must start with postgres:// or postgresql://',
    )
    .optional(),
  PICKET_URL: z.url({ protocol: /^https?$/ }).optional(),
  PICKET_SECURE_COOKIES: z.enum(['true', 'false', '1', '0']).optional(),
});

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration.
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  role: Config['role'] = 'all',
): Config {
  const nonEmpty = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(nonEmpty);

  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? null)})`;
    });
    throw new ConfigError(problems);
  }

  const values = parsed.data;
  const publicUrl = values.PICKET_URL?.replace(/\/+$/, '');
  const secureDefault = publicUrl?.startsWith('https://') ?? false;
  const secureFlag = values.PICKET_SECURE_COOKIES;

  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: path.resolve(values.PICKET_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    publicUrl,
    role,
    secureCookies:
      secureFlag === undefined ? secureDefault : secureFlag === 'true' || secureFlag === '1',
  };
}
