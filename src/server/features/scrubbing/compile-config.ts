import {
  PASSWORD_KEY_PATTERN,
  REPLACE_MATCH,
  REPLACE_VALUE,
  URL_PASSWORD_PATTERN,
  type ValuePattern,
} from './pii-patterns.js';
import {
  BUILTIN_RULES,
  isSimpleRuleType,
  type PiiConfig,
  type Redaction,
  type ResolvedRule,
  type RuleMatcher,
  type RuleSpec,
} from './pii-rules.js';
import { parseSelector, type Selector, SelectorError } from './selector.js';
import { compileUserRegex, UserRegexError } from './user-regex.js';

/** A selector with the rules it applies, in the order the config lists them. */
export interface CompiledApplication {
  selectorText: string;
  selector: Selector;
  rules: ResolvedRule[];
}

export interface CompiledPiiConfig {
  applications: CompiledApplication[];
  /** Whether the envelope's client IP must be dropped too (IP scrubbing is on). */
  removesClientIp?: boolean;
}

/** A problem in a PII config, with the config field it is about. */
export class PiiConfigError extends Error {
  override name = 'PiiConfigError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const MAX_RULE_DEPTH = 8;

/** The password value pattern: any value that contains a sensitive word is replaced whole. */
export const PASSWORD_VALUE_PATTERN: ValuePattern = {
  regex: new RegExp(PASSWORD_KEY_PATTERN.source, 'dgi'),
  replace: REPLACE_VALUE,
};

interface CompileOptions {
  /** Reject unknown rule ids and invalid selectors instead of skipping them. */
  strict: boolean;
}

/**
 * Resolves a PII config into applications of concrete rules: aliases and collections are
 * expanded, user patterns compiled with the checks of `compileUserRegex`.
 * @throws PiiConfigError in strict mode, for an unknown rule, a bad selector or a bad pattern.
 */
export function compilePiiConfig(
  config: PiiConfig,
  options: CompileOptions = { strict: false },
): CompiledPiiConfig {
  const applications: CompiledApplication[] = [];

  for (const [selectorText, ruleIds] of Object.entries(config.applications ?? {})) {
    let selector: Selector;
    try {
      selector = parseSelector(selectorText);
    } catch (error) {
      if (options.strict && error instanceof SelectorError) {
        throw new PiiConfigError(
          `applications.${selectorText}`,
          `invalid selector: ${error.message}`,
        );
      }
      continue;
    }

    const rules = ruleIds.flatMap((id) =>
      resolveRule(config, id, { origin: id, depth: 0, strict: options.strict }),
    );
    applications.push({ selectorText, selector, rules });
  }

  return { applications };
}

interface ResolveState {
  origin: string;
  depth: number;
  strict: boolean;
  redaction?: Redaction;
}

function findRule(config: PiiConfig, id: string): RuleSpec | undefined {
  const custom =
    config.rules !== undefined && Object.hasOwn(config.rules, id) ? config.rules[id] : undefined;
  return custom ?? BUILTIN_RULES.get(id);
}

function resolveRule(config: PiiConfig, id: string, state: ResolveState): ResolvedRule[] {
  const spec = findRule(config, id);
  if (spec === undefined || state.depth > MAX_RULE_DEPTH) {
    if (state.strict) {
      const problem = spec === undefined ? 'is not defined' : 'nests too deeply';
      throw new PiiConfigError(`rules.${id}`, `the rule "${id}" ${problem}`);
    }
    return [];
  }

  // An outer rule's explicit redaction wins over the inner rule's, as in Relay.
  const outerRedaction =
    spec.redaction !== undefined && spec.redaction.method !== 'default'
      ? spec.redaction
      : state.redaction;

  if (spec.type === 'multiple' || spec.type === 'alias') {
    const inner = spec.type === 'multiple' ? spec.rules : [spec.rule];
    return inner.flatMap((innerId) =>
      resolveRule(config, innerId, {
        origin: spec.hideInner === true ? state.origin : innerId,
        depth: state.depth + 1,
        strict: state.strict,
        redaction: outerRedaction,
      }),
    );
  }

  const redaction = state.redaction ?? spec.redaction ?? { method: 'default' };
  return [{ origin: state.origin, matcher: compileMatcher(id, spec, state.strict), redaction }];
}

function compileMatcher(id: string, spec: RuleSpec, strict: boolean): RuleMatcher {
  if (spec.type === 'anything') {
    return { kind: 'anything' };
  }
  if (spec.type === 'password') {
    return { kind: 'password' };
  }
  if (isSimpleRuleType(spec.type)) {
    return { kind: 'builtin', type: spec.type };
  }

  try {
    if (spec.type === 'pattern') {
      if (id === '@urlauth:legacy') {
        return { kind: 'pattern', pattern: URL_PASSWORD_PATTERN, custom: false };
      }
      const groups = spec.replaceGroups;
      return {
        kind: 'pattern',
        pattern: {
          regex: compileUserRegex(spec.pattern),
          replace: groups === undefined ? REPLACE_MATCH : { kind: 'groups', groups },
        },
        custom: true,
      };
    }
    if (spec.type === 'redact_pair') {
      const regex = compileUserRegex(spec.keyPattern);
      return { kind: 'redact_pair', keyPattern: regex };
    }
  } catch (error) {
    if (error instanceof UserRegexError) {
      if (strict) {
        throw new PiiConfigError(`rules.${id}`, error.message);
      }
      // A pattern that cannot run safely matches everything, so that the rule fails closed.
      return {
        kind: 'pattern',
        pattern: { regex: /[\s\S]+/dg, replace: REPLACE_VALUE },
        custom: false,
      };
    }
    throw error;
  }

  throw new PiiConfigError(`rules.${id}`, `unknown rule type`);
}
