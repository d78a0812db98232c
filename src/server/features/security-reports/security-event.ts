import {
  describeViolation,
  effectiveDirective,
  readLevel2Report,
  readReportingApiReport,
  type CspInterface,
} from './csp-report.js';

type Report = Record<string, unknown>;

/** Request details that a security report event keeps. */
export interface SecurityEventContext {
  /** `sentry_release` of the report URL, or of the `raw_security` item header. */
  release: unknown;
  /** `sentry_environment` of the report URL, or of the `raw_security` item header. */
  environment: unknown;
  /** The reporting browser's User-Agent header. */
  userAgent: string | undefined;
}

export type SecurityEventResult =
  | { ok: true; event: Record<string, unknown> }
  | { ok: false; reason: 'invalid_security_report'; message: string };

/**
 * Turns one browser security report into an error event: a CSP violation (level 2
 * `{"csp-report": ...}` or a Reporting API `csp-violation`), an Expect-CT, Expect-Staple or
 * HPKP report. The report is kept as the event's `csp`, `expectct`, `expectstaple` or `hpkp`
 * interface, which grouping reads.
 */
export function buildSecurityEvent(
  report: Report,
  context: SecurityEventContext,
): SecurityEventResult {
  const cspLevel2 = asRecord(report['csp-report']);
  if (cspLevel2 !== undefined) {
    return { ok: true, event: cspEvent(readLevel2Report(cspLevel2), context) };
  }

  if (report.type === 'csp-violation') {
    const body = asRecord(report.body);
    if (body === undefined) {
      return invalid('the csp-violation report has no "body" object');
    }
    const csp = readReportingApiReport(body);
    const url = typeof report.url === 'string' ? report.url : undefined;
    const userAgent = typeof report.user_agent === 'string' ? report.user_agent : undefined;
    return {
      ok: true,
      event: cspEvent(
        { ...csp, document_uri: csp.document_uri ?? url },
        { ...context, userAgent: userAgent ?? context.userAgent },
      ),
    };
  }

  if (typeof report.type === 'string') {
    return invalid(`reports of type ${JSON.stringify(report.type.slice(0, 40))} are not stored`);
  }

  const expectCt = asRecord(report['expect-ct-report']);
  if (expectCt !== undefined) {
    return { ok: true, event: hostReportEvent('expectct', 'Expect-CT', expectCt, context) };
  }

  const expectStaple = asRecord(report['expect-staple-report']);
  if (expectStaple !== undefined) {
    return {
      ok: true,
      event: hostReportEvent('expectstaple', 'Expect-Staple', expectStaple, context),
    };
  }

  if (typeof report.hostname === 'string' && 'known-pins' in report) {
    return { ok: true, event: hostReportEvent('hpkp', 'HPKP', report, context) };
  }

  return invalid(
    'not a CSP, Expect-CT, Expect-Staple or HPKP report: expected "csp-report", ' +
      '"expect-ct-report", "expect-staple-report" or an HPKP report',
  );
}

function cspEvent(csp: CspInterface, context: SecurityEventContext): Record<string, unknown> {
  const directive = effectiveDirective(csp);
  const tags: Record<string, string> = {};

  if (directive !== undefined) {
    tags['effective-directive'] = directive;
  }
  if (csp.blocked_uri !== undefined) {
    tags['blocked-uri'] = csp.blocked_uri;
  }

  return {
    ...commonFields(context, csp.document_uri, csp.referrer),
    message: describeViolation(csp),
    culprit: csp.violated_directive ?? directive,
    tags,
    csp,
  };
}

/** Builds the event of a report about a host's certificate: Expect-CT, Expect-Staple, HPKP. */
function hostReportEvent(
  name: 'expectct' | 'expectstaple' | 'hpkp',
  label: string,
  body: Report,
  context: SecurityEventContext,
): Record<string, unknown> {
  const report = snakeCaseKeys(body);
  const hostname = typeof report.hostname === 'string' ? report.hostname : 'unknown host';
  const port = typeof report.port === 'number' ? report.port : undefined;
  const url = port === undefined ? `https://${hostname}` : `https://${hostname}:${port}`;

  return {
    ...commonFields(context, url, undefined),
    message: `${label} failed for '${hostname}'`,
    culprit: hostname,
    tags: { hostname },
    [name]: report,
  };
}

function commonFields(
  context: SecurityEventContext,
  url: string | undefined,
  referrer: string | undefined,
): Record<string, unknown> {
  const headers: [string, string][] = [];
  if (context.userAgent !== undefined) {
    headers.push(['User-Agent', context.userAgent]);
  }
  if (referrer !== undefined) {
    headers.push(['Referer', referrer]);
  }

  return {
    logger: 'csp',
    level: 'error',
    request: { url, headers },
    ...(typeof context.release === 'string' && context.release !== ''
      ? { release: context.release }
      : {}),
    ...(typeof context.environment === 'string' && context.environment !== ''
      ? { environment: context.environment }
      : {}),
  };
}

// Report keys are kebab-case (`effective-expiration-date`); event interfaces use snake_case.
function snakeCaseKeys(body: Report): Report {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key.replaceAll('-', '_'), value]),
  );
}

function asRecord(value: unknown): Report | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Report)
    : undefined;
}

function invalid(message: string): SecurityEventResult {
  return { ok: false, reason: 'invalid_security_report', message };
}
