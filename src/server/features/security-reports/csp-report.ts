type Report = Record<string, unknown>;

/** The `csp` interface of an event, with Sentry's snake_case field names. */
export interface CspInterface {
  document_uri?: string;
  referrer?: string;
  violated_directive?: string;
  effective_directive?: string;
  original_policy?: string;
  disposition?: string;
  blocked_uri?: string;
  status_code?: number;
  source_file?: string;
  line_number?: number;
  column_number?: number;
  script_sample?: string;
}

// CSP level 2 report keys (`{"csp-report": {...}}`) and the keys of the Reporting API's
// `csp-violation` body, each mapped to the interface field.
const LEVEL_2_KEYS: [string, keyof CspInterface][] = [
  ['document-uri', 'document_uri'],
  ['referrer', 'referrer'],
  ['violated-directive', 'violated_directive'],
  ['effective-directive', 'effective_directive'],
  ['original-policy', 'original_policy'],
  ['disposition', 'disposition'],
  ['blocked-uri', 'blocked_uri'],
  ['status-code', 'status_code'],
  ['source-file', 'source_file'],
  ['line-number', 'line_number'],
  ['column-number', 'column_number'],
  ['script-sample', 'script_sample'],
];

const REPORTING_API_KEYS: [string, keyof CspInterface][] = [
  ['documentURL', 'document_uri'],
  ['referrer', 'referrer'],
  ['effectiveDirective', 'effective_directive'],
  ['originalPolicy', 'original_policy'],
  ['disposition', 'disposition'],
  ['blockedURL', 'blocked_uri'],
  ['statusCode', 'status_code'],
  ['sourceFile', 'source_file'],
  ['lineNumber', 'line_number'],
  ['columnNumber', 'column_number'],
  ['sample', 'script_sample'],
];

const NUMBER_FIELDS = new Set<keyof CspInterface>(['status_code', 'line_number', 'column_number']);

/** Subject of each fetch directive, as the report message names it. */
const DIRECTIVE_SUBJECTS: Record<string, string> = {
  'base-uri': 'base URI',
  'child-src': 'child',
  'connect-src': 'connection',
  'default-src': 'default',
  'font-src': 'font',
  'form-action': 'form action',
  'frame-ancestors': 'frame ancestor',
  'frame-src': 'frame',
  'img-src': 'image',
  'manifest-src': 'manifest',
  'media-src': 'media',
  'object-src': 'object',
  'plugin-types': 'plugin',
  'prefetch-src': 'prefetch',
  'script-src': 'script',
  'script-src-attr': 'script',
  'script-src-elem': 'script',
  'style-src': 'style',
  'style-src-attr': 'style',
  'style-src-elem': 'style',
  'worker-src': 'worker',
};

/** Reads a CSP level 2 report body into the `csp` interface. */
export function readLevel2Report(body: Report): CspInterface {
  return copyFields(body, LEVEL_2_KEYS);
}

/** Reads the body of a Reporting API `csp-violation` report into the `csp` interface. */
export function readReportingApiReport(body: Report): CspInterface {
  const csp = copyFields(body, REPORTING_API_KEYS);
  // The Reporting API has no violated directive; the effective one is what was violated.
  if (csp.violated_directive === undefined && csp.effective_directive !== undefined) {
    csp.violated_directive = csp.effective_directive;
  }
  return csp;
}

function copyFields(body: Report, keys: [string, keyof CspInterface][]): CspInterface {
  const csp: CspInterface = {};
  const fields = csp as Record<string, string | number>;

  for (const [source, target] of keys) {
    const value = body[source];
    if (NUMBER_FIELDS.has(target)) {
      if (typeof value === 'number' && Number.isFinite(value)) {
        fields[target] = value;
      }
    } else if (typeof value === 'string' && value !== '') {
      fields[target] = value;
    }
  }

  return csp;
}

/**
 * Returns the directive that was violated: the effective directive, else the first word of
 * the violated directive (level 2 browsers sent the whole policy clause there).
 */
export function effectiveDirective(csp: CspInterface): string | undefined {
  return csp.effective_directive ?? csp.violated_directive?.split(' ')[0];
}

/**
 * Builds the report's message, such as "Blocked 'script' from 'evil.example'" or
 * "Blocked unsafe inline 'style'".
 */
export function describeViolation(csp: CspInterface): string {
  const directive = effectiveDirective(csp) ?? 'unknown';
  const subject = DIRECTIVE_SUBJECTS[directive] ?? directive;
  const blocked = (csp.blocked_uri ?? '').trim();

  if (blocked === '' || blocked === 'self' || blocked === "'self'") {
    return `Blocked '${subject}' from 'self'`;
  }
  if (blocked === 'inline' || blocked === "'unsafe-inline'") {
    return `Blocked unsafe inline '${subject}'`;
  }
  if (blocked === 'eval' || blocked === "'unsafe-eval'") {
    return `Blocked unsafe eval() '${subject}'`;
  }
  return `Blocked '${subject}' from '${blockedSource(blocked)}'`;
}

/**
 * Returns the host (with its port) of a blocked URI, or its scheme for URIs without a host
 * such as `data:` and `blob:`. Browsers send the scheme alone (`data`) for some of those.
 */
export function blockedSource(blocked: string): string {
  if (/^[a-z][a-z0-9+.-]*:?$/i.test(blocked)) {
    return `${blocked.replace(/:$/, '')}:`;
  }

  try {
    const url = new URL(blocked);
    return url.host === '' ? url.protocol : url.host;
  } catch {
    return blocked.slice(0, 200);
  }
}
