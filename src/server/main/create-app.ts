import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';

import {
  AccountRepository,
  registerAuthRoutes,
  registerRequestAuth,
} from '../features/accounts/index.js';
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
import { EventRepository } from '../features/events/index.js';
import {
  createFilterOptionsStore,
  insertNewProjectFilterSettings,
  registerFilterRoutes,
} from '../features/filters/index.js';
import { FeedbackRepository, registerFeedbackRoutes } from '../features/feedback/index.js';
import { IngestGate } from '../features/ingest/ingest-gate.js';
import { registerIngestRoutes } from '../features/ingest/ingest-routes.js';
import type { OutcomeRecorder } from '../features/ingest/outcome-recorder.js';
import { ProjectKeyCache } from '../features/ingest/project-key-cache.js';
import { IssueRepository, registerIssueRoutes } from '../features/issues/index.js';
import { registerMinidumpRoutes } from '../features/minidump/index.js';
import { LogRepository, registerLogRoutes } from '../features/logs/index.js';
import { registerOtlpRoutes } from '../features/otlp/index.js';
import {
  OrganizationRepository,
  registerOrganizationRoutes,
} from '../features/organizations/index.js';
import { registerSecurityReportRoutes } from '../features/security-reports/index.js';
import type { BlobStore } from '../platform/blobs/index.js';
import {
  createTransactionEventLookup,
  registerPerformanceRoutes,
} from '../features/performance/index.js';
import {
  BackpressureMonitor,
  IngestControlRepository,
  MemoryCounterStore,
  RateLimiter,
  registerIngestControlRoutes,
} from '../features/rate-limits/index.js';
import { registerStatsRoutes, StatsRepository } from '../features/stats/index.js';
import { registerReleaseRoutes, ReleaseRepository } from '../features/releases/index.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/index.js';
import { NotFoundError } from '../platform/errors.js';
import { handleError } from '../platform/http/error-handler.js';
import { registerSecurityHeaders } from '../platform/http/security-headers.js';
import type { Logger } from '../platform/logger.js';
import type { QueueWriter } from '../platform/queue/index.js';

export interface AppDependencies {
  config: Config;
  db: Db;
  log: Logger;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  blobs: BlobStore;
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
  const limiter = new RateLimiter(new MemoryCounterStore(), config.spikeProtection);
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
  const app = Fastify({
    loggerInstance: log,
    // Requests are summarized by the onResponse hook below, one line each and only when asked.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    requestTimeout: 120_000,
    return503OnClosing: true,
    routerOptions: { ignoreDuplicateSlashes: true },
  }) as unknown as FastifyInstance;

  app.setErrorHandler(handleError);
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
    done();
  });

  if (serves('ingest')) {
    // An encapsulated context, so the raw body parser and CORS hook apply to ingest only.
    await app.register((ingest, _options, done) => {
      const { queue, outcomes, blobs } = deps;
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

  app.get('/_health', () => ({ status: 'ok', role: config.role }));
  return app;
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
  registerSecurityHeaders(app, { hsts: config.publicUrl?.startsWith('https://') ?? false });
  registerRequestAuth(app, accounts);
  registerAuthRoutes(app, { accounts, secureCookies: config.secureCookies });
  registerOrganizationRoutes(app, {
    organizations,
    publicUrl: config.publicUrl,
    projectOptions: createFilterOptionsStore(db.kysely),
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
  registerStatsRoutes(app, { organizations, stats: new StatsRepository(db.kysely) });
  registerFilterRoutes(app, { db: db.kysely, organizations });
  const issues = new IssueRepository(db.kysely);
  const attachments = new AttachmentRepository(db.kysely);
  registerIssueRoutes(app, {
    organizations,
    issues,
    events: new EventRepository(db.kysely),
    findTransactionEvent: createTransactionEventLookup(db.kysely, db.dialect),
    publicUrl: config.publicUrl,
  });
  registerAttachmentRoutes(app, { organizations, attachments, blobs: deps.blobs });
  registerFeedbackRoutes(app, {
    organizations,
    feedback: new FeedbackRepository(db.kysely),
    issues,
    attachments,
    publicUrl: config.publicUrl,
    gate: ingest.gate,
  });
  registerLogRoutes(app, { organizations, logs: new LogRepository(db.kysely, db.dialect) });
  registerPerformanceRoutes(app, { organizations, db: db.kysely, dialect: db.dialect });
  registerReleaseRoutes(app, { organizations, releases: new ReleaseRepository(db.kysely) });
  registerMonitorRoutes(app, { organizations, monitors: new MonitorRepository(db.kysely) });

  const hasWebBuild = fs.existsSync(`${WEB_ROOT}index.html`);
  if (hasWebBuild) {
    await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: false, index: false });
  }

  app.setNotFoundHandler((request, reply) => {
    const isFile = request.url.startsWith('/assets/') || /\.[a-z0-9]+(\?|$)/i.test(request.url);
    if (request.url.startsWith('/api/') || request.method !== 'GET' || isFile || !hasWebBuild) {
      throw new NotFoundError(`No route for ${request.method} ${request.url.split('?')[0] ?? ''}`);
    }
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
