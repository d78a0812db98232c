import type { FastifyInstance } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import type { ParsedEnvelope } from '../ingest/envelope-parser.js';
import {
  authorizeProject,
  headerValue,
  parseProjectId,
  readAuth,
  readRequestBody,
} from '../ingest/ingest-kit.js';
import { ingestEnvelope, rejectUnusable, type IngestResult } from '../ingest/ingest-service.js';
import type { OutcomeRecorder } from '../ingest/outcome-recorder.js';
import type { ProjectKeyCache } from '../ingest/project-key-cache.js';

export interface SecurityReportRoutesOptions {
  keys: ProjectKeyCache;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  blobs?: BlobStore;
}

/** Content types that browsers send security reports with, as Relay accepts them. */
const REPORT_CONTENT_TYPES = new Set([
  'application/json',
  'application/csp-report',
  'application/expect-ct-report',
  'application/expect-ct-report+json',
  'application/expect-staple-report',
  'application/reports+json',
]);

/** Relay's limit for a security report body, the same as for one event. */
const MAX_REPORT_BYTES = 1024 * 1024;
/** The Reporting API sends reports in batches; more than this in one request is rejected. */
const MAX_REPORTS_PER_REQUEST = 100;

type ProjectParams = { projectId: string };

/**
 * Registers `POST /api/{project_id}/security/` and its alias `/csp-report/`. Each report
 * becomes a `raw_security` item, which ingest turns into an error event. The key comes from
 * the query (`sentry_key`), as do `sentry_release` and `sentry_environment`.
 */
export function registerSecurityReportRoutes(
  app: FastifyInstance,
  options: SecurityReportRoutesOptions,
): void {
  for (const path of ['/api/:projectId/security/', '/api/:projectId/csp-report/']) {
    app.options(path, (_request, reply) => reply.status(200).send());

    app.post<{ Params: ProjectParams }>(path, async (request, reply) => {
      const pathProjectId = parseProjectId(request.params.projectId);
      const requestAuth = readAuth(request);
      const contentType = mediaType(headerValue(request.headers['content-type']));
      if (!REPORT_CONTENT_TYPES.has(contentType)) {
        throw new AppError(
          415,
          'unsupported_media_type',
          `Unsupported Content-Type ${JSON.stringify(contentType.slice(0, 80))} for a security report: use application/csp-report, application/reports+json or application/json`,
        );
      }

      const projectId = await authorizeProject(options.keys, requestAuth, pathProjectId);
      const body = await readRequestBody(request, reply, MAX_REPORT_BYTES);
      const reports = parseReports(body);
      const query = request.query as Record<string, unknown>;
      const receivedAt = Date.now();

      const results = await Promise.all(
        reports.map((report) =>
          ingestEnvelope(
            securityEnvelope(report, query),
            {
              projectId,
              receivedAt,
              clientIp: request.ip,
              client: requestAuth?.client ?? headerValue(request.headers['user-agent']),
              userAgent: headerValue(request.headers['user-agent']),
            },
            options.queue,
            options.outcomes,
            options.blobs,
          ),
        ),
      );
      rejectUnusable(combineResults(results));

      return reply.status(200).send();
    });
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/**
 * Splits a body into reports: one JSON object, or a Reporting API list of them.
 * @throws AppError 400 when the body is not JSON, or not an object or a list of objects.
 */
function parseReports(body: Buffer): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AppError(
      400,
      'invalid_json',
      `Security report is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const reports = Array.isArray(value) ? value : [value];
  if (reports.length === 0 || reports.length > MAX_REPORTS_PER_REQUEST) {
    throw new AppError(
      400,
      'bad_request',
      `A security report request must carry 1 to ${MAX_REPORTS_PER_REQUEST} reports, got ${reports.length}`,
    );
  }
  if (!reports.every(isObject)) {
    throw new AppError(400, 'bad_request', 'Every security report must be a JSON object');
  }
  return reports;
}

function securityEnvelope(
  report: Record<string, unknown>,
  query: Record<string, unknown>,
): ParsedEnvelope {
  const headers: Record<string, unknown> & { type: string } = { type: 'raw_security' };
  for (const key of ['sentry_release', 'sentry_environment']) {
    if (typeof query[key] === 'string') {
      headers[key] = query[key];
    }
  }

  return {
    headers: {},
    items: [{ headers, payload: Buffer.from(JSON.stringify(report)), index: 0 }],
    framingError: undefined,
  };
}

/** Adds up the results of a batch of reports, so that one bad report among good ones is a 200. */
function combineResults(results: IngestResult[]): IngestResult {
  return {
    eventId: undefined,
    accepted: results.reduce((total, result) => total + result.accepted, 0),
    acknowledged: results.reduce((total, result) => total + result.acknowledged, 0),
    firstRejection: results.find((result) => result.firstRejection !== undefined)?.firstRejection,
    firstRejectionStatus: 400,
    rateLimited: results.reduce((total, result) => total + result.rateLimited, 0),
    rateLimits: undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
