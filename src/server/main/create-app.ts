import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';

import {
  AccountRepository,
  createAccountContext,
  registerAuthenticatorRoutes,
  registerAuthRoutes,
  registerRequestAuth,
  registerSessionRoutes,
  registerTwoFactorLoginRoutes,
} from '../features/accounts/index.js';
import { registerRuleRoutes, RuleRepository } from '../features/alerts/index.js';
import {
  AttachmentRepository,
  registerAttachmentRoutes,
  registerAttachmentUploadRoute,
} from '../features/attachments/index.js';
import {
  MonitorRepository,
  registerCronIngestRoutes,
  registerMonitorRoutes,
} from '../features/crons/index.js';
import { deleteBlobs, registerDataDeletionRoutes } from '../features/data-deletion/index.js';
import { EventRepository } from '../features/events/index.js';
import {
  createFilterOptionsStore,
  insertNewProjectFilterSettings,
  registerFilterRoutes,
} from '../features/filters/index.js';
import { FeedbackRepository, registerFeedbackRoutes } from '../features/feedback/index.js';
import { createGroupingFieldsStore, registerGroupingRoutes } from '../features/grouping/index.js';
import { IngestGate } from '../features/ingest/ingest-gate.js';
import { registerIngestRoutes } from '../features/ingest/ingest-routes.js';
import type { OutcomeRecorder } from '../features/ingest/outcome-recorder.js';
import { ProjectKeyCache } from '../features/ingest/project-key-cache.js';
import {
  IssueRepository,
  registerEnvironmentRoutes,
  registerIssueRoutes,
  registerSavedSearchRoutes,
} from '../features/issues/index.js';
import { registerMinidumpRoutes } from '../features/minidump/index.js';
import { registerNotificationSettingsRoutes } from '../features/notifications/index.js';
import {
  countQueuedItems,
  PicketMetrics,
  registerHealthRoutes,
  registerIngestRequestMetrics,
  registerStatusRoutes,
  type WorkerState,
} from '../features/operations/index.js';
import { recordCategory } from '../features/worker/index.js';
import { LogRepository, registerLogRoutes } from '../features/logs/index.js';
import { registerOtlpRoutes } from '../features/otlp/index.js';
import {
  OrganizationRepository,
  registerMemberRoutes,
  registerOrganizationRoutes,
} from '../features/organizations/index.js';
import {
  createRetentionFieldsStore,
  registerRetentionRoutes,
} from '../features/retention/index.js';
import { registerSecurityReportRoutes } from '../features/security-reports/index.js';
import { registerApiTokenRoutes, registerOrgTokenRoutes } from '../features/tokens/index.js';
import { registerAuditRoutes } from '../features/audit/index.js';
import {
  combineProjectFieldsStores,
  createScrubbingFieldsStore,
  registerScrubbingRoutes,
} from '../features/scrubbing/index.js';
import {
  deleteUnreferencedBlobs,
  registerArtifactRoutes,
  registerUploadRoutes,
} from '../features/sourcemaps/index.js';
import type { BlobStore } from '../platform/blobs/index.js';
import type { SecretBox } from '../platform/crypto/secret-box.js';
import { rejectDuringShutdown } from '../platform/http/shutdown.js';
import { createServerFactory } from '../platform/http/node-server.js';
import { registerNulRejection } from '../platform/http/reject-nul.js';
import { recordRouteTable } from '../platform/http/route-table.js';
import {
  createTransactionEventLookup,
  registerPerformanceRoutes,
} from '../features/performance/index.js';
import {
  BackpressureMonitor,
  FallbackCounterStore,
  IngestControlRepository,
  MemoryCounterStore,
  RateLimiter,
  RedisConnection,
  RedisCounterStore,
  registerIngestControlRoutes,
  type CounterStore,
} from '../features/rate-limits/index.js';
import { registerStatsRoutes, StatsRepository } from '../features/stats/index.js';
import {
  registerReleaseRoutes,
  ReleaseRepository,
  ReleaseWriteRepository,
} from '../features/releases/index.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/index.js';
import { NotFoundError } from '../platform/errors.js';
import { handleError } from '../platform/http/error-handler.js';
import { registerSecurityHeaders } from '../platform/http/security-headers.js';
import type { Logger } from '../platform/logger.js';
import { createMailer } from '../platform/mail/mailer.js';
import { registerUserAdminRoutes } from '../features/manage/index.js';
import type { QueueWriter } from '../platform/queue/index.js';

export interface AppDependencies {
  config: Config;
  db: Db;
  log: Logger;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  blobs: BlobStore;
  /** Encrypts secrets at rest (TOTP seeds, SMTP password, integration credentials). */
  secrets: SecretBox;
  /** The process's Prometheus metrics; a fresh set when omitted. */
  metrics?: PicketMetrics;
  /** The worker thread of the roles that run one, for the readiness check. */
  worker?: WorkerState | undefined;
}

const MAX_ENVELOPE_BYTES = 100 * 1024 * 1024;
const MAX_STORE_BYTES = 1024 * 1024;
const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** Builds the HTTP server with the routes of the configured role. */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, db, log } = deps;
  // Shared by ingest and the web API, so that key changes and spike protection state made or
  // seen in one are visible to the other at once.
  const keys = new ProjectKeyCache(db.kysely);
  const counters = await createCounterStore(config, log);
  const limiter = new RateLimiter(counters.store, config.spikeProtection);
  // Also used by the web role, which stores user reports sent with a DSN key.
  const backpressure = new BackpressureMonitor({
    maxBacklog: config.queueMaxBacklog,
    minFreeBytes: config.diskMinFreeBytes,
    dataDir: config.dataDir,
    readBacklog: () => deps.queue.backlog(),
    log: log.child({ module: 'ingest' }),
  });
  const gate = new IngestGate({ keys, outcomes: deps.outcomes, limiter, backpressure });
  const serves = (role: 'ingest' | 'web') => config.role === 'all' || config.role === role;
  const metrics = deps.metrics ?? new PicketMetrics();
  const app = Fastify({
    loggerInstance: log,
    // Requests are summarized by the onResponse hook below, one line each and only when asked.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Sets the listener's timeouts and header size, and TLS when configured.
    serverFactory: createServerFactory(config.tls),
    // Requests that arrive while the server closes get the 503 below, with Retry-After.
    return503OnClosing: false,
    routerOptions: { ignoreDuplicateSlashes: true },
  }) as unknown as FastifyInstance;

  // Test-only: the security suite reads the route list from this file (route-table.ts).
  if (process.env.PICKET_ROUTE_TABLE !== undefined) {
    recordRouteTable(app, process.env.PICKET_ROUTE_TABLE);
  }

  app.setErrorHandler(handleError);
  rejectDuringShutdown(app);
  app.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (level === 'error' || process.env.PICKET_LOG_REQUESTS === '1') {
      request.log[level](
        {
          method: request.method,
          url: request.routeOptions.url,
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });

  app.addHook('onClose', (_instance, done) => {
    backpressure.close();
    counters.close();
    done();
  });

  if (serves('ingest')) {
    // An encapsulated context, so the raw body parser and CORS hook apply to ingest only.
    await app.register((ingest, _options, done) => {
      const { outcomes, blobs } = deps;
      registerIngestRequestMetrics(ingest, metrics);
      const queue = countQueuedItems(deps.queue, metrics, recordCategory);
      registerIngestRoutes(ingest, {
        gate,
        queue,
        outcomes,
        blobs,
        maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
        maxStoreBytes: MAX_STORE_BYTES,
      });
      registerAttachmentUploadRoute(ingest, { gate, queue, blobs });
      registerSecurityReportRoutes(ingest, { gate, queue, outcomes, blobs });
      registerMinidumpRoutes(ingest, { gate, queue, outcomes, blobs });
      registerOtlpRoutes(ingest, { gate, queue, outcomes });
      registerCronIngestRoutes(ingest, { gate, queue });
      done();
    });
  }

  if (serves('web')) {
    await registerWeb(app, deps, { keys, limiter, gate });
  }
  if (config.role === 'web') {
    // A DSN copied from a web process points here, so the 404 names the role that takes events.
    await app.register((scope, _options, done) => {
      // Accepts any content type and leaves the body unread, because the reply ignores it.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, parsed) => {
        parsed(null);
      });
      scope.post('/api/:projectId/:endpoint/', (_request, reply) =>
        reply.code(404).send({
          detail:
            'This Picket process runs the web role and takes no events: send them to an ingest process (behind a proxy, route /api/<project id>/ to ingest and set PICKET_URL)',
        }),
      );
      done();
    });
  }

  // Every role serves these. A `worker` process serves nothing else, since neither block above
  // applies to it.
  registerHealthRoutes(app, {
    role: config.role,
    db,
    queue: deps.queue,
    worker: deps.worker,
    metrics,
    metricsToken: config.metricsToken,
    log,
  });
  return app;
}

/**
 * Returns the rate-limit counters: in Redis when `REDIS_URL` is set, so that every ingest
 * process counts against the same limits, else in this process's memory.
 */
async function createCounterStore(
  config: Config,
  log: Logger,
): Promise<{ store: CounterStore; close: () => void }> {
  if (config.redisUrl === undefined) {
    return { store: new MemoryCounterStore(), close: () => undefined };
  }

  // Loaded only with REDIS_URL, so that the embedded mode does not load the Redis client.
  const { Redis } = await import('ioredis');
  const counterLog = log.child({ module: 'rate-limits' });
  const redis = new RedisConnection(
    new Redis(config.redisUrl, {
      keyPrefix: undefined,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    }),
    { prefix: config.redisPrefix, log: counterLog },
  );
  const store = new FallbackCounterStore(
    new RedisCounterStore(redis),
    new MemoryCounterStore(),
    counterLog,
  );
  return {
    store,
    close: () => {
      redis.close();
    },
  };
}

async function registerWeb(
  app: FastifyInstance,
  deps: AppDependencies,
  ingest: { keys: ProjectKeyCache; limiter: RateLimiter; gate: IngestGate },
): Promise<void> {
  const { config, db } = deps;
  const accounts = new AccountRepository(db.kysely);
  const organizations = new OrganizationRepository(db.kysely, {
    onProjectCreated: [insertNewProjectFilterSettings],
  });

  await app.register(fastifyCookie);
  registerNulRejection(app);
  const sessions = {
    secureCookies: config.secureCookies,
    idleMs: config.sessionIdleMinutes * 60_000,
    maxAgeMs: config.sessionMaxDays * 86_400_000,
  };
  registerRequestAuth(app, accounts, sessions);
  const accountContext = createAccountContext({
    db: db.kysely,
    accounts,
    secrets: deps.secrets,
    sessions,
    publicUrl: config.publicUrl,
  });
  registerAuthRoutes(app, accountContext);
  registerTwoFactorLoginRoutes(app, accountContext);
  registerAuthenticatorRoutes(app, accountContext);
  registerSessionRoutes(app, accountContext);
  registerNotificationSettingsRoutes(app, {
    db: db.kysely,
    config,
    mailer: createMailer(config),
    throttle: accountContext.throttle,
  });
  registerSecurityHeaders(app, {
    hsts: config.tls !== undefined || (config.publicUrl?.startsWith('https://') ?? false),
  });
  registerOrganizationRoutes(app, {
    db: db.kysely,
    organizations,
    publicUrl: config.publicUrl,
    projectOptions: createFilterOptionsStore(db.kysely),
    projectFields: combineProjectFieldsStores(
      createGroupingFieldsStore(db.kysely),
      createScrubbingFieldsStore(db.kysely),
      createRetentionFieldsStore(db.kysely),
    ),
    onKeysChanged: () => {
      ingest.keys.clear();
    },
  });
  registerIngestControlRoutes(app, {
    organizations,
    repository: new IngestControlRepository(db.kysely),
    limiter: ingest.limiter,
    spikeProtection: config.spikeProtection,
    onSettingsChanged: () => {
      ingest.keys.clear();
    },
  });
  registerStatsRoutes(app, { organizations, stats: new StatsRepository(db.read) });
  registerFilterRoutes(app, { db: db.kysely, organizations });
  registerScrubbingRoutes(app, { db: db.kysely, organizations });
  registerGroupingRoutes(app, {
    db: db.kysely,
    organizations,
    events: new EventRepository(db.kysely),
  });
  const issues = new IssueRepository(db.kysely);
  const attachments = new AttachmentRepository(db.kysely);
  registerIssueRoutes(app, {
    db: db.kysely,
    organizations,
    issues,
    events: new EventRepository(db.kysely),
    replica: {
      db: db.read,
      issues: new IssueRepository(db.read),
      events: new EventRepository(db.read),
    },
    findTransactionEvent: createTransactionEventLookup(db.kysely, db.dialect),
    publicUrl: config.publicUrl,
    deleteBlobs: async (keys, request) => {
      await deleteBlobs(deps.blobs, keys, request.log);
    },
  });
  registerDataDeletionRoutes(app, {
    db: db.kysely,
    organizations,
    blobs: deps.blobs,
    onKeysChanged: () => {
      ingest.keys.clear();
    },
  });
  registerMemberRoutes(app, {
    db: db.kysely,
    organizations,
    publicUrl: config.publicUrl,
    mailer: createMailer(config),
  });
  registerUserAdminRoutes(app, { db: db.kysely, accounts });
  registerApiTokenRoutes(app, { db: db.kysely });
  registerOrgTokenRoutes(app, { db: db.kysely, organizations, publicUrl: config.publicUrl });
  registerAuditRoutes(app, { db: db.kysely, organizations });
  registerStatusRoutes(app, { queue: deps.queue, queueMaxBacklog: config.queueMaxBacklog });
  registerSavedSearchRoutes(app, { db: db.kysely, organizations });
  registerEnvironmentRoutes(app, { db: db.kysely, organizations });
  registerAttachmentRoutes(app, { organizations, attachments, blobs: deps.blobs });
  registerFeedbackRoutes(app, {
    organizations,
    feedback: new FeedbackRepository(db.kysely),
    issues,
    attachments,
    publicUrl: config.publicUrl,
    gate: ingest.gate,
  });
  registerLogRoutes(app, { organizations, logs: new LogRepository(db.read, db.dialect) });
  registerPerformanceRoutes(app, { organizations, db: db.read, dialect: db.dialect });
  registerRetentionRoutes(app, {
    organizations,
    db: db.kysely,
    read: db.read,
    retentionDays: config.retentionDays,
  });
  registerReleaseRoutes(app, {
    organizations,
    releases: new ReleaseRepository(db.kysely),
    writes: new ReleaseWriteRepository(db.kysely),
    deleteFileBlobs: (keys, request) =>
      deleteUnreferencedBlobs(db.kysely, deps.blobs, keys, request.log),
  });
  registerMonitorRoutes(app, { organizations, monitors: new MonitorRepository(db.kysely) });
  registerRuleRoutes(app, {
    db: db.kysely,
    organizations,
    rules: new RuleRepository(db.kysely, deps.secrets),
    issues: new IssueRepository(db.kysely),
    config,
    throttle: accountContext.throttle,
  });
  await registerUploadRoutes(app, {
    db: db.kysely,
    blobs: deps.blobs,
    log: deps.log,
    organizations,
    releases: new ReleaseRepository(db.kysely),
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
  });
  await registerArtifactRoutes(app, { db, organizations, blobs: deps.blobs });

  const hasWebBuild = fs.existsSync(`${WEB_ROOT}index.html`);
  if (hasWebBuild) {
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      wildcard: false,
      index: false,
      dotfiles: 'ignore',
      // The web bundle's source maps are built (for debugging Picket's own UI) but not served.
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const isFile = request.url.startsWith('/assets/') || /\.[a-z0-9]+(\?|$)/i.test(request.url);
    // Paths with a dot segment (`/.git/config`, `/.env`) get a 404 rather than the app page.
    const isDotPath = /\/\./.test(request.url.split('?')[0] ?? '');
    // Paths such as /.git/config or /.well-known/ name files, never a page of the UI.
    const hasDotSegment = /\/\./.test(request.url.split('?')[0] ?? '');
    if (
      request.url.startsWith('/api/') ||
      request.method !== 'GET' ||
      isFile ||
      isDotPath ||
      hasDotSegment ||
      !hasWebBuild
    ) {
      throw new NotFoundError(`No route for ${request.method} ${request.url.split('?')[0] ?? ''}`);
    }
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
