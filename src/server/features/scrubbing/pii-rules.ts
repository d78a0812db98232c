import { type PatternRuleType, URL_PASSWORD_PATTERN, type ValuePattern } from './pii-patterns.js';

/** Redaction method of a rule. `default` removes, like Relay's `Redaction::Default`. */
export type RedactionMethod = 'default' | 'remove' | 'replace' | 'mask' | 'hash';

export interface Redaction {
  method: RedactionMethod;
  /** Replacement text of the `replace` method; Relay's default is `[Filtered]`. */
  text?: string;
}

/** A rule type that needs no parameters. */
export type SimpleRuleType = PatternRuleType | 'password' | 'anything';

/** A rule of a PII config as JSON, in Relay's format (`relayPiiConfig.rules`). */
export type RuleSpec =
  | { type: SimpleRuleType; redaction?: Redaction }
  | { type: 'pattern'; pattern: string; replaceGroups?: number[]; redaction?: Redaction }
  | { type: 'redact_pair'; keyPattern: string; redaction?: Redaction }
  | { type: 'multiple'; rules: string[]; hideInner?: boolean; redaction?: Redaction }
  | { type: 'alias'; rule: string; hideInner?: boolean; redaction?: Redaction };

/** A PII config as JSON: custom rules, and the rule ids to apply per selector. */
export interface PiiConfig {
  rules?: Record<string, RuleSpec>;
  applications?: Record<string, string[]>;
}

/**
 * Matcher of a resolved rule. `pattern` carries the compiled value pattern, `keyPattern` is
 * tested against keys (and, for `redact_pair`, against string values too, like Relay's
 * `PatternType::KeyValue`).
 */
export type RuleMatcher =
  | { kind: 'anything' }
  | { kind: 'password' }
  | { kind: 'builtin'; type: PatternRuleType }
  | { kind: 'pattern'; pattern: ValuePattern; custom: boolean }
  | { kind: 'redact_pair'; keyPattern: RegExp };

/** A rule after aliases and collections are resolved: one matcher and one redaction. */
export interface ResolvedRule {
  /** The rule id written in `_meta` remarks. */
  origin: string;
  matcher: RuleMatcher;
  redaction: Redaction;
}

const FILTER: Redaction = { method: 'replace', text: '[Filtered]' };

interface BuiltinVariants {
  replaceText: string;
  alias: 'replace' | 'mask';
  filter?: boolean;
}

// The replacement texts and the method that `@type` alone stands for, from Relay's
// `relay-pii/src/builtin.rs` (getsentry/relay, 2025).
const BUILTIN_VARIANTS: Record<PatternRuleType | 'anything' | 'password', BuiltinVariants> = {
  anything: { replaceText: '[Filtered]', alias: 'replace', filter: true },
  ip: { replaceText: '[ip]', alias: 'replace' },
  imei: { replaceText: '[imei]', alias: 'replace' },
  mac: { replaceText: '[mac]', alias: 'mask' },
  uuid: { replaceText: '[uuid]', alias: 'mask' },
  email: { replaceText: '[email]', alias: 'replace' },
  iban: { replaceText: '[iban]', alias: 'replace', filter: true },
  creditcard: { replaceText: '[creditcard]', alias: 'replace', filter: true },
  pemkey: { replaceText: '[pemkey]', alias: 'replace', filter: true },
  urlauth: { replaceText: '[auth]', alias: 'replace' },
  usssn: { replaceText: '[us-ssn]', alias: 'mask', filter: true },
  userpath: { replaceText: '[user]', alias: 'replace' },
  bearer: { replaceText: 'Bearer [token]', alias: 'replace', filter: true },
  password: { replaceText: '[password]', alias: 'replace', filter: true },
};

/** Built-in rule ids (`@ip`, `@ip:hash`, `@common:filter`, ...) with their specs. */
export const BUILTIN_RULES: ReadonlyMap<string, RuleSpec> = buildBuiltinRules();

function buildBuiltinRules(): Map<string, RuleSpec> {
  const rules = new Map<string, RuleSpec>();

  for (const [name, variants] of Object.entries(BUILTIN_VARIANTS)) {
    const type = name as SimpleRuleType;
    rules.set(`@${name}:replace`, {
      type,
      redaction: { method: 'replace', text: variants.replaceText },
    });
    rules.set(`@${name}:remove`, { type, redaction: { method: 'remove' } });
    rules.set(`@${name}:mask`, { type, redaction: { method: 'mask' } });
    rules.set(`@${name}:hash`, { type, redaction: { method: 'hash' } });
    if (variants.filter === true) {
      rules.set(`@${name}:filter`, { type, redaction: FILTER });
    }
    rules.set(`@${name}`, { type: 'alias', rule: `@${name}:${variants.alias}`, hideInner: true });
  }

  // Relay's `@password` stands for removal, unlike the other aliases.
  rules.set('@password', { type: 'alias', rule: '@password:remove', hideInner: true });
  rules.set('@urlauth:legacy', {
    type: 'pattern',
    pattern: URL_PASSWORD_PATTERN.regex.source,
    replaceGroups: [2],
    redaction: FILTER,
  });
  rules.set('@common', {
    type: 'multiple',
    rules: [
      '@iban',
      '@ip',
      '@email',
      '@creditcard',
      '@pemkey',
      '@urlauth',
      '@userpath',
      '@password',
      '@usssn',
    ],
  });
  // Sentry's default data scrubber. Relay also lists `@userpath:filter`, a rule it never
  // defines, so the legacy scrubber leaves user names in paths alone; Picket does the same.
  rules.set('@common:filter', {
    type: 'multiple',
    rules: [
      '@creditcard:filter',
      '@iban:filter',
      '@pemkey:filter',
      '@urlauth:legacy',
      '@password:filter',
      '@usssn:filter',
    ],
  });
  return rules;
}

/** Rule types a user may pick in an advanced rule, as Sentry's settings page offers them. */
export const USER_RULE_TYPES = [
  'pattern',
  'creditcard',
  'password',
  'ip',
  'imei',
  'email',
  'uuid',
  'pemkey',
  'urlauth',
  'usssn',
  'userpath',
  'mac',
  'anything',
  'iban',
  'bearer',
] as const;

export const REDACTION_METHODS = ['remove', 'replace', 'mask', 'hash', 'default'] as const;

export function isSimpleRuleType(type: string): type is SimpleRuleType {
  return type in BUILTIN_VARIANTS;
}

export { URL_PASSWORD_PATTERN };
