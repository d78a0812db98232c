import type { FastifyInstance } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import type { ParsedEnvelope } from '../ingest/envelope-parser.js';
import { announceRateLimits, sendRateLimited, type IngestGate } from '../ingest/ingest-gate.js';
import { headerValue, parseProjectId, readAuth, readRequestBody } from '../ingest/ingest-kit.js';
import { countItemCategories, ingestEnvelope, rejectUnusable } from '../ingest/ingest-service.js';
import { parseJsonPayload } from '../ingest/json-payload.js';
import type { OutcomeRecorder } from '../ingest/outcome-recorder.js';

export interface SecurityReportRoutesOptions {
  gate: IngestGate;
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

      const body = await readRequestBody(request, reply, MAX_REPORT_BYTES);
      const envelope = securityEnvelope(
        parseReports(body),
        request.query as Record<string, unknown>,
      );
      // Browsers send reports without an SDK, so the Origin or Referer of the reporting page is
      // checked against the key's allowed domains as on the envelope endpoint, as Relay does.
      const admission = await options.gate.admit(request, {
        pathProjectId,
        auth: requestAuth,
        quantities: countItemCategories(envelope),
      });

      // All reports of the request go to the queue in one write, so that a failed write leaves
      // none of them queued and a retry stores each once.
      const result = await ingestEnvelope(
        envelope,
        {
          projectId: admission.projectId,
          receivedAt: Date.now(),
          clientIp: request.ip,
          client: requestAuth?.client ?? headerValue(request.headers['user-agent']),
          source: 'security',
          userAgent: headerValue(request.headers['user-agent']),
          checkRateLimits: admission.checkRateLimits,
        },
        options.queue,
        options.outcomes,
        options.blobs,
      );
      rejectUnusable(result);

      const droppedBy =
        result.rateLimited > 0 ? [...(result.rateLimits?.limited.values() ?? [])] : [];
      if (announceRateLimits(reply, result.rateLimits, droppedBy)) {
        return sendRateLimited(reply);
      }
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
  // The depth limit keeps a deeply nested report from overflowing the stack when it is
  // serialized again.
  const parsed = parseJsonPayload(body, { allowArray: true });
  if (!parsed.ok) {
    throw new AppError(400, 'invalid_json', `Invalid security report: ${parsed.message}`);
  }

  const value = parsed.value;
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

/** Builds one envelope with a `raw_security` item per report. */
function securityEnvelope(
  reports: Record<string, unknown>[],
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
    items: reports.map((report, index) => ({
      headers,
      payload: Buffer.from(JSON.stringify(report)),
      index,
    })),
    framingError: undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
