import path from 'node:path';

import { z } from 'zod';

import { ConfigError } from './config-error.js';
import { parseIpNetwork } from './net/ip-network.js';

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
  /**
   * PostgreSQL URL of a read replica (`DATABASE_READ_URL`) for read-heavy API queries; when
   * unset, reads go to `DATABASE_URL`.
   */
  databaseReadUrl: string | undefined;
  /**
   * Redis URL (`REDIS_URL`); when set, the queue, rate-limit counters and shared caches live in
   * Redis. Needs `DATABASE_URL`.
   */
  redisUrl: string | undefined;
  /** Prefix of every Redis key Picket writes (`PICKET_REDIS_PREFIX`, default `picket`). */
  redisPrefix: string;
  /**
   * Blob store (`PICKET_BLOB_URL`): `s3://bucket/prefix` for an S3-compatible store (endpoint,
   * region and credentials from the usual `AWS_*` variables); when unset, files under
   * `<dataDir>/blobs`.
   */
  blobUrl: { bucket: string; prefix: string } | undefined;
  /**
   * Connection of the S3 blob store. Credentials are not part of it: the AWS SDK reads
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` itself.
   */
  s3: {
    /** Endpoint of an S3-compatible store (`AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`). */
    endpoint: string | undefined;
    /** Region (`AWS_REGION`, else `AWS_DEFAULT_REGION`, default `us-east-1`). */
    region: string;
    /**
     * Whether the bucket goes in the path instead of the host name (`PICKET_S3_FORCE_PATH_STYLE`,
     * default on when an endpoint is set), as MinIO and most self-hosted stores need.
     */
    forcePathStyle: boolean;
  };
  /** Days an event is kept after it was received (`PICKET_RETENTION_DAYS`, default 90). */
  retentionDays: number;
  /**
   * Seconds a queue record may stay claimed by a worker that does not finish it before another
   * worker takes it over (`PICKET_QUEUE_RECLAIM_SECONDS`, default 30).
   */
  queueReclaimSeconds: number;
  /**
   * Deliveries after which a queue record that keeps failing goes to the dead-letter list
   * (`PICKET_QUEUE_MAX_DELIVERIES`, default 5).
   */
  queueMaxDeliveries: number;
  /** Public base URL used in DSNs and links (`PICKET_URL`, default `http://HOST:PORT`). */
  publicUrl: string | undefined;
  /** Roles this process runs (`--role`): ingest, worker and web, or all three. */
  role: 'all' | 'ingest' | 'worker' | 'web';
  /**
   * Whether session cookies carry `Secure` (`PICKET_SECURE_COOKIES`, default on for an https
   * `PICKET_URL` or when Picket terminates TLS itself).
   */
  secureCookies: boolean;
  /**
   * Queue records written but not yet processed above which ingest responds with 429
   * (`PICKET_QUEUE_MAX_BACKLOG`, default 50,000; 0 turns the check off).
   */
  queueMaxBacklog: number;
  /**
   * Free space of the data folder's file system, in bytes, below which ingest responds with 503
   * (`PICKET_DISK_MIN_FREE_MB` in MiB, default 1,024; 0 turns the check off).
   */
  diskMinFreeBytes: number;
  /** Spike protection parameters (`PICKET_SPIKE_PROTECTION_*`). */
  spikeProtection: {
    /** Multiple of the hourly baseline a minute may reach (`…_FACTOR`, default 10). */
    factor: number;
    /** Items per minute never throttled (`…_MIN_PER_MINUTE`, default 600). */
    minPerMinute: number;
    /** Minutes of history needed before throttling starts (`…_WARMUP_MINUTES`, default 10). */
    warmupMinutes: number;
  };
  /**
   * Key that encrypts secrets at rest (`PICKET_SECRET_KEY`, 32 bytes as hex or base64); when
   * unset, a key file is created in the data folder.
   */
  secretKey: string | undefined;
  /** Older keys still accepted for reading while secrets are rotated (`PICKET_SECRET_KEY_PREVIOUS`). */
  previousSecretKeys: string | undefined;
  /** SMTP server for e-mail (`PICKET_SMTP_URL`, such as `smtp://user:pass@host:587`). */
  smtpUrl: string | undefined;
  /** Sender address of e-mail (`PICKET_SMTP_FROM`, default `picket@<host of PICKET_URL>`). */
  smtpFrom: string | undefined;
  /** Certificate and key files (PEM) for TLS on Picket's own listener (`PICKET_TLS_CERT`, `PICKET_TLS_KEY`). */
  tls: { certFile: string; keyFile: string } | undefined;
  /**
   * Minutes without a request after which a login session ends (`PICKET_SESSION_IDLE_MINUTES`,
   * default 480).
   */
  sessionIdleMinutes: number;
  /** Days after login at which a session ends, active or not (`PICKET_SESSION_MAX_DAYS`, default 14). */
  sessionMaxDays: number;
  /**
   * Bearer token that `/metrics` requires (`PICKET_METRICS_TOKEN`); when unset, `/metrics` is
   * open, and it names no project, organization or key.
   */
  metricsToken: string | undefined;
  /**
   * Hosts and address ranges that webhooks may reach although they are private, loopback or
   * link-local (`PICKET_OUTBOUND_ALLOW`, comma-separated, such as `hooks.internal,10.1.0.0/16`).
   */
  outboundAllow: string[];
}

const nonNegativeInteger = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `must be a whole number from 0 to ${max}`)
    .transform(Number)
    .refine((value) => value <= max, `must be a whole number from 0 to ${max}`)
    .default(fallback);

const positiveInteger = (fallback: number, max: number) =>
  nonNegativeInteger(fallback, max).refine(
    (value) => value >= 1,
    `must be a whole number from 1 to ${max}`,
  );

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
  DATABASE_READ_URL: z
    .string()
    .refine(
      (value) => /^postgres(ql)?:\/\//.test(value),
      'must start with postgres:// or postgresql://',
    )
    .optional(),
  REDIS_URL: z
    .string()
    .refine((value) => /^rediss?:\/\/./.test(value), 'must start with redis:// or rediss://')
    .optional(),
  PICKET_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . : or -')
    .default('picket'),
  PICKET_BLOB_URL: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?$/,
      'must be s3://bucket or s3://bucket/prefix with a valid bucket name',
    )
    .optional(),
  AWS_ENDPOINT_URL_S3: z.url({ protocol: /^https?$/ }).optional(),
  AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as eu-west-1')
    .optional(),
  AWS_DEFAULT_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as eu-west-1')
    .optional(),
  PICKET_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0']).optional(),
  PICKET_RETENTION_DAYS: positiveInteger(90, 36_500),
  PICKET_QUEUE_RECLAIM_SECONDS: positiveInteger(30, 86_400),
  PICKET_QUEUE_MAX_DELIVERIES: positiveInteger(5, 1_000),
  PICKET_URL: z.url({ protocol: /^https?$/ }).optional(),
  PICKET_SECURE_COOKIES: z.enum(['true', 'false', '1', '0']).optional(),
  PICKET_QUEUE_MAX_BACKLOG: nonNegativeInteger(50_000, 1_000_000_000),
  PICKET_DISK_MIN_FREE_MB: nonNegativeInteger(1_024, 1_000_000_000),
  PICKET_SPIKE_PROTECTION_FACTOR: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, 'must be a number of at least 1, such as 10 or 2.5')
    .transform(Number)
    .refine((value) => value >= 1, 'must be a number of at least 1, such as 10 or 2.5')
    .default(10),
  PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: nonNegativeInteger(600, 1_000_000_000),
  PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: nonNegativeInteger(10, 60),
  PICKET_SECRET_KEY: z
    .string()
    .regex(
      /^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/,
      'must be 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)',
    )
    .optional(),
  PICKET_SECRET_KEY_PREVIOUS: z
    .string()
    .regex(
      /^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)(,([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?))*$/,
      'must be a comma-separated list of keys in the form of PICKET_SECRET_KEY',
    )
    .optional(),
  PICKET_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  PICKET_SMTP_FROM: z.email().optional(),
  PICKET_TLS_CERT: z.string().min(1).optional(),
  PICKET_TLS_KEY: z.string().min(1).optional(),
  PICKET_SESSION_IDLE_MINUTES: positiveInteger(480, 525_600),
  PICKET_SESSION_MAX_DAYS: positiveInteger(14, 365),
  PICKET_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable ASCII characters without spaces')
    .optional(),
  PICKET_OUTBOUND_ALLOW: z
    .string()
    .refine(
      (value) => value.split(',').every(isOutboundAllowEntry),
      'must be a comma-separated list of host names (without port), IP addresses and CIDR ranges',
    )
    .optional(),
});

const HOST_NAME = /^[0-9a-z_-]+(\.[0-9a-z_-]+)*\.?$/i;

// An entry that is neither would match no destination, such as `hooks:8080` or `10.0.0.0/33`.
function isOutboundAllowEntry(entry: string): boolean {
  const trimmed = entry.trim();
  return parseIpNetwork(trimmed) !== undefined || HOST_NAME.test(trimmed);
}

// Variables that only work together. A certificate without its key (or the reverse) would
// otherwise start plain HTTP unnoticed.
const checkedSchema = envSchema.superRefine((values, context) => {
  const pairs = [
    ['PICKET_TLS_CERT', values.PICKET_TLS_CERT, 'PICKET_TLS_KEY', values.PICKET_TLS_KEY],
    ['PICKET_TLS_KEY', values.PICKET_TLS_KEY, 'PICKET_TLS_CERT', values.PICKET_TLS_CERT],
  ] as const;
  for (const [name, value, otherName, otherValue] of pairs) {
    if (value !== undefined && otherValue === undefined) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `is set but ${otherName} is not: set both (PEM files) to serve https, or neither`,
      });
    }
  }
  // The scale-out engines work together: processes that share Redis must share one database.
  for (const name of ['REDIS_URL', 'DATABASE_READ_URL'] as const) {
    if (values[name] !== undefined && values.DATABASE_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: 'needs DATABASE_URL (PostgreSQL): the scale-out mode stores data in PostgreSQL',
      });
    }
  }
});

export { ConfigError };

/**
 * Reads and validates the configuration.
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  role: Config['role'] = 'all',
): Config {
  const nonEmpty = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = checkedSchema.safeParse(nonEmpty);

  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}: ${issue.message} (got ${describeValue(name, env[name])})`;
    });
    throw new ConfigError(problems);
  }

  const values = parsed.data;
  const publicUrl = values.PICKET_URL?.replace(/\/+$/, '');
  const tlsOn = values.PICKET_TLS_CERT !== undefined && values.PICKET_TLS_KEY !== undefined;
  const secureDefault = tlsOn || (publicUrl?.startsWith('https://') ?? false);
  const secureFlag = values.PICKET_SECURE_COOKIES;
  const s3Endpoint = values.AWS_ENDPOINT_URL_S3 ?? values.AWS_ENDPOINT_URL;
  const pathStyleFlag = values.PICKET_S3_FORCE_PATH_STYLE;

  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: path.resolve(values.PICKET_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    databaseReadUrl: values.DATABASE_READ_URL,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.PICKET_REDIS_PREFIX,
    blobUrl: parseBlobUrl(values.PICKET_BLOB_URL),
    s3: {
      endpoint: s3Endpoint,
      region: values.AWS_REGION ?? values.AWS_DEFAULT_REGION ?? 'us-east-1',
      forcePathStyle:
        pathStyleFlag === undefined
          ? s3Endpoint !== undefined
          : pathStyleFlag === 'true' || pathStyleFlag === '1',
    },
    retentionDays: values.PICKET_RETENTION_DAYS,
    queueReclaimSeconds: values.PICKET_QUEUE_RECLAIM_SECONDS,
    queueMaxDeliveries: values.PICKET_QUEUE_MAX_DELIVERIES,
    publicUrl,
    role,
    secureCookies:
      secureFlag === undefined ? secureDefault : secureFlag === 'true' || secureFlag === '1',
    queueMaxBacklog: values.PICKET_QUEUE_MAX_BACKLOG,
    diskMinFreeBytes: values.PICKET_DISK_MIN_FREE_MB * 1_048_576,
    spikeProtection: {
      factor: values.PICKET_SPIKE_PROTECTION_FACTOR,
      minPerMinute: values.PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE,
      warmupMinutes: values.PICKET_SPIKE_PROTECTION_WARMUP_MINUTES,
    },
    secretKey: values.PICKET_SECRET_KEY,
    previousSecretKeys: values.PICKET_SECRET_KEY_PREVIOUS,
    smtpUrl: values.PICKET_SMTP_URL,
    smtpFrom: values.PICKET_SMTP_FROM,
    tls:
      values.PICKET_TLS_CERT === undefined || values.PICKET_TLS_KEY === undefined
        ? undefined
        : { certFile: values.PICKET_TLS_CERT, keyFile: values.PICKET_TLS_KEY },
    sessionIdleMinutes: values.PICKET_SESSION_IDLE_MINUTES,
    sessionMaxDays: values.PICKET_SESSION_MAX_DAYS,
    metricsToken: values.PICKET_METRICS_TOKEN,
    outboundAllow: (values.PICKET_OUTBOUND_ALLOW ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== ''),
  };
}

// Variables whose whole value is a secret. Startup errors go to stderr and from there into
// service logs, so these values are described by their length only.
const SECRET_VARIABLES = new Set([
  'PICKET_SECRET_KEY',
  'PICKET_SECRET_KEY_PREVIOUS',
  'PICKET_METRICS_TOKEN',
]);

/** Quotes a variable's value for an error message, without secrets or URL credentials. */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) {
    return 'null';
  }
  if (SECRET_VARIABLES.has(name)) {
    return `a value of ${value.length} characters, not shown`;
  }
  // The user name and password of a URL (`scheme://user:password@host`), up to the last `@`
  // because a password written without percent-encoding may contain `@` or `/`.
  return JSON.stringify(value.replace(/\/\/.*@/s, '//***@'));
}

/** Splits `s3://bucket/prefix` into the bucket and a prefix without slashes at either end. */
function parseBlobUrl(url: string | undefined): Config['blobUrl'] {
  if (url === undefined) {
    return undefined;
  }
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  return { bucket, prefix };
}
