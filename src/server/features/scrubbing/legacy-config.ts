import type { PiiConfig, RuleSpec } from './pii-rules.js';
import { parseSelector } from './selector.js';

/** Sentry's data-scrubbing options as Relay receives them (`DataScrubbingConfig`). */
export interface LegacyScrubbingConfig {
  scrub_data: boolean;
  scrub_defaults: boolean;
  scrub_ip_addresses: boolean;
  sensitive_fields?: string[];
  exclude_fields?: string[];
}

// Fields the legacy scrubber leaves alone: debug files, frame paths, the formatted message,
// exception messages and the user agent (Relay's `DATASCRUBBER_IGNORE`).
const DATASCRUBBER_IGNORE =
  'debug_meta.** || $frame.filename || $frame.abs_path || $logentry.formatted || $error.value || $http.headers.user-agent';

// Fields that hold the client's IP address whatever their content (Relay's `KNOWN_IP_FIELDS`).
const KNOWN_IP_FIELDS =
  "$http.env.REMOTE_ADDR || $user.ip_address || $sdk.client_ip || $span.sentry_tags.'user.ip' || attributes.'client.address'";

/** Session and CSRF cookie names that are filtered whole (Relay's `SENSITIVE_COOKIES`). */
export const SENSITIVE_COOKIES = [
  'sentrysid',
  'sudo',
  'su',
  'session',
  '__session',
  'sessionid',
  'user_session',
  'symfony',
  'phpsessid',
  'fasthttpsessionid',
  'mysession',
  'irissessionid',
  '_vercel_jwt',
  'csrf',
  'xsrf',
  '_xsrf',
  '_csrf',
  'csrf-token',
  'csrf_token',
  'xsrf-token',
  'xsrf_token',
  'fastcsrf',
  '_iris_csrf',
];

// Fields that matter to the product and only get replace rules, never the destructive ones
// (Relay's `REPLACE_ONLY_SELECTOR`).
const REPLACE_ONLY_FIELDS = [
  '$logentry.formatted',
  '$log.body',
  ...[
    'gen_ai.input.messages',
    'gen_ai.prompt',
    'gen_ai.request.messages',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.input',
    'gen_ai.tool.call.result',
    'gen_ai.tool.output',
    'gen_ai.output.messages',
    'gen_ai.response.tool_calls',
    'gen_ai.response.text',
    'gen_ai.response.object',
    'gen_ai.tool.definitions',
    'gen_ai.request.available_tools',
    'gen_ai.tool.name',
    'mcp.prompt.result',
    'mcp.tool.result.content',
  ].flatMap((name) => [`$span.data.'${name}'`, `attributes.'${name}'.value`]),
];

function sensitiveCookieSelector(): string {
  const selectors = ["*.'http.request.header.cookie'"];
  for (const name of SENSITIVE_COOKIES) {
    const key = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : `'${name}'`;
    selectors.push(`*.cookies.${key}`, `*.'http.request.header.cookie.${name}'`);
  }
  return selectors.join(' || ');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Turns a safe field into a selector; a field that does not parse is taken as one key. */
function safeFieldSelector(field: string): string {
  try {
    parseSelector(field);
    return field;
  } catch {
    return `'${field.replace(/'/g, "''")}'`;
  }
}

/**
 * Returns the selector of the legacy rules: every value except the fields the legacy scrubber
 * leaves alone and the safe fields.
 */
function legacyMainSelector(safeFields: readonly string[]): string {
  let selector = `($string || $number || $array || $object) && !(${DATASCRUBBER_IGNORE})`;
  for (const field of safeFields) {
    const trimmed = field.trim();
    if (trimmed !== '') {
      const safe = safeFieldSelector(trimmed);
      selector += /\|\||&&|\|/.test(safe) ? ` && !(${safe})` : ` && !${safe}`;
    }
  }
  return selector;
}

/**
 * Builds the PII config of Sentry's data-scrubbing options, as Relay's `to_pii_config` does
 * (`relay-pii/src/convert.rs`). Returns `undefined` when the options scrub nothing.
 */
export function convertLegacyConfig(config: LegacyScrubbingConfig): PiiConfig | undefined {
  const rules: Record<string, RuleSpec> = {};
  const appliedRules: string[] = [];
  const applications: Record<string, string[]> = {};

  if (config.scrub_data && config.scrub_defaults) {
    appliedRules.push('@common:filter');
    applications[sensitiveCookieSelector()] = ['@anything:filter'];
    applications[REPLACE_ONLY_FIELDS.join(' || ')] = [
      '@email:replace',
      '@creditcard:replace',
      '@iban:replace',
      '@usssn:replace',
      '@bearer:replace',
    ];
  }

  if (config.scrub_ip_addresses) {
    applications[KNOWN_IP_FIELDS] = ['@anything:remove'];
    appliedRules.push('@ip:replace');
  }

  if (config.scrub_data) {
    const fields = (config.sensitive_fields ?? []).map((field) => field.trim()).filter(Boolean);
    if (fields.length > 0) {
      rules['strip-fields'] = {
        type: 'redact_pair',
        keyPattern: `(?i)${fields.map(escapeRegex).join('|')}`,
        redaction: { method: 'replace', text: '[Filtered]' },
      };
      appliedRules.push('strip-fields');
    }
  }

  if (appliedRules.length === 0 && Object.keys(applications).length === 0) {
    return undefined;
  }

  if (appliedRules.length > 0) {
    const selector = legacyMainSelector(config.exclude_fields ?? []);
    // The main selector comes first: its rules run before the removal of known IP fields, as
    // in Relay, where `And` selectors sort before `Or` selectors.
    return { rules, applications: { [selector]: appliedRules, ...applications } };
  }

  return { rules, applications };
}

/**
 * Rules that Picket adds to Relay's defaults, from the list of older Sentry versions: the
 * `Cookie`, `Set-Cookie` and `Authorization` headers and every cookie value are filtered whole,
 * and so are keys named `session`, `sessionid`, `session_id` or `card[number]`. Safe fields
 * are exempt, as from the other defaults.
 */
export function picketDefaultExtras(safeFields: readonly string[]): PiiConfig {
  const main = legacyMainSelector(safeFields);
  const cookies =
    '$http.headers.cookie || $http.headers.set-cookie || $http.headers.authorization || ' +
    '*.cookies.* || *.cookie || *.set-cookie';
  return {
    rules: {
      'picket-sensitive-keys': {
        type: 'redact_pair',
        keyPattern: '(?i)^(?:session|sessionid|session_id|card\\[number\\])$',
        redaction: { method: 'replace', text: '[Filtered]' },
      },
    },
    applications: {
      [`${main} && (${cookies})`]: ['@anything:filter'],
      [main]: ['picket-sensitive-keys'],
    },
  };
}
