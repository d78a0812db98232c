import type { NormalizedEvent } from '../processing/event-types.js';

import { BUILTIN_ENHANCEMENTS } from './builtin-enhancements.js';
import { type EnhancementRule, parseRules } from './enhancement-parser.js';
import {
  bareStacktraceComponents,
  exceptionComponents,
  threadComponents,
} from './exception-component.js';
import {
  getFingerprintType,
  isDefaultVariable,
  matchBuiltInFingerprint,
  resolveFingerprint,
} from './fingerprint.js';
import {
  type GroupingComponent,
  componentHash,
  createComponent,
  hasContributingDescendant,
  hashFromValues,
  iterContributingValues,
  updateComponent,
} from './grouping-component.js';
import { type FingerprintRuleMatch, matchFingerprintRules } from './fingerprint-matcher.js';
import type { FingerprintRule } from './fingerprint-rules.js';
import { SECURITY_STRATEGIES, messageComponents, securityComponents } from './report-component.js';
import type { ComponentsByVariant, GroupingOptions } from './stacktrace-component.js';

export type { GroupingComponent } from './grouping-component.js';

export interface GroupingVariant {
  type: 'component' | 'custom_fingerprint' | 'salted_component' | 'checksum' | 'fallback';
  hash: string | null;
  description: string;
  contributes: boolean;
  hint?: string | null;
  values?: string[];
  /** The fingerprint rule that produced a `custom-fingerprint` variant, as written. */
  matchedRule?: string;
  component?: GroupingComponent;
}

export interface GroupingResult {
  /** MD5 hex hashes, primary first. The `system` variant's hash comes last. */
  hashes: string[];
  variants: Record<string, GroupingVariant>;
  /** The title set by a matching fingerprint rule's `title` attribute. */
  title?: string;
}

export interface ComputeGroupingOptions {
  /** Project stack-trace rules in Sentry's syntax, one rule per line (a string or list of lines). */
  enhancements?: unknown;
  /** Project stack-trace rules, already parsed; used in place of `enhancements` when given. */
  enhancementRules?: readonly EnhancementRule[];
  /** Project fingerprint rules, parsed; the first that matches replaces the fingerprint. */
  fingerprintingRules?: readonly FingerprintRule[];
}

const CHECKSUM_PATTERN = /^[0-9a-f]{32}$/i;

const VARIANT_LABELS: Record<string, string> = {
  app: 'in-app',
  system: 'system',
  default: 'default',
};

interface Strategy {
  name: string;
  produce: (event: NormalizedEvent, options: GroupingOptions) => ComponentsByVariant;
}

/** Sentry's strategies, highest priority first; the first one that contributes wins. */
const STRATEGIES: Strategy[] = [
  { name: 'exception', produce: exceptionComponents },
  {
    name: 'threads',
    produce: (event, options) =>
      event.threads === undefined ? {} : threadComponents(event.threads.values, options),
  },
  { name: 'stacktrace', produce: bareStacktraceComponents },
  ...SECURITY_STRATEGIES.map(([name, salt]): Strategy => ({
    name,
    produce: (event) => securityComponents(event, name, salt),
  })),
  { name: 'message', produce: messageComponents },
];

function readProjectRules(enhancements: unknown): EnhancementRule[] {
  if (typeof enhancements === 'string') {
    return parseRules(enhancements);
  }

  if (Array.isArray(enhancements)) {
    return parseRules(
      enhancements.filter((line): line is string => typeof line === 'string').join('\n'),
    );
  }

  return [];
}

/** Runs the strategies and builds one root component per variant, as Sentry's grouping does. */
function buildRootComponents(
  event: NormalizedEvent,
  options: GroupingOptions,
): Map<string, GroupingComponent> {
  const componentsByVariant = new Map<string, GroupingComponent[]>();
  let winner: string | undefined;
  let precedenceHint: string | null = null;

  for (const strategy of STRATEGIES) {
    const produced = Object.entries(strategy.produce(event, options)).filter(
      (entry): entry is [string, GroupingComponent] => entry[1] !== undefined,
    );

    for (const [variant, component] of produced) {
      componentsByVariant.set(variant, [...(componentsByVariant.get(variant) ?? []), component]);

      if (!component.contributes) {
        continue;
      }

      if (winner === undefined) {
        winner = strategy.name;
        const contributing = produced
          .filter(([, other]) => other.contributes)
          .map(([name]) => name)
          .sort()
          .join('/');
        const subject =
          contributing === 'default' ? strategy.name : `${strategy.name} of ${contributing}`;
        precedenceHint = `${subject} ${strategy.name.endsWith('s') ? 'take' : 'takes'} precedence`;
      } else if (winner !== strategy.name) {
        updateComponent(component, { contributes: false, hint: precedenceHint });
      }
    }
  }

  const roots = new Map<string, GroupingComponent>();

  for (const [variant, components] of componentsByVariant) {
    const root = createComponent(variant, components);

    if (!root.contributes && precedenceHint !== null) {
      root.hint = precedenceHint;
    }

    roots.set(variant, root);
  }

  return roots;
}

function describeComponent(variant: string, root: GroupingComponent): string {
  const main = root.values.find(
    (value): value is GroupingComponent => typeof value !== 'string' && value.contributes,
  );
  const label = VARIANT_LABELS[variant] ?? variant;

  if (main === undefined) {
    return `${label} (no contributing component)`;
  }

  const name = main.id.replace(/-/g, ' ');
  return hasContributingDescendant(main, 'stacktrace')
    ? `${label} ${name} stack-trace`
    : `${label} ${name}`;
}

function componentVariants(roots: Map<string, GroupingComponent>): Record<string, GroupingVariant> {
  const variants: Record<string, GroupingVariant> = {};

  for (const [name, root] of roots) {
    variants[name] = {
      type: 'component',
      hash: componentHash(root),
      description: describeComponent(name, root),
      contributes: root.contributes,
      hint: root.hint,
      component: root,
    };
  }

  return variants;
}

function checksumVariants(checksum: string): Record<string, GroupingVariant> {
  if (CHECKSUM_PATTERN.test(checksum)) {
    const hash = checksum.toLowerCase();
    return {
      checksum: {
        type: 'checksum',
        hash,
        description: 'legacy checksum',
        contributes: true,
        values: [checksum],
      },
    };
  }

  return {
    checksum: {
      type: 'checksum',
      hash: checksum,
      description: 'legacy checksum',
      contributes: true,
      values: [checksum],
    },
    'hashed-checksum': {
      type: 'checksum',
      hash: hashFromValues([checksum]),
      description: 'hashed legacy checksum',
      contributes: true,
      values: [checksum],
    },
  };
}

/** Replaces the component variants according to the fingerprint (`{{ default }}` or custom). */
function applyFingerprint(
  event: NormalizedEvent,
  roots: Map<string, GroupingComponent>,
  variants: Record<string, GroupingVariant>,
  serverMatch: FingerprintRuleMatch | undefined,
): Record<string, GroupingVariant> {
  const clientFingerprint = serverMatch?.fingerprint ?? event.fingerprint ?? ['{{ default }}'];
  const clientType = getFingerprintType(clientFingerprint);
  const builtIn =
    clientType === 'default' && serverMatch === undefined
      ? matchBuiltInFingerprint(event)
      : undefined;
  const fingerprint = builtIn?.fingerprint ?? resolveFingerprint(clientFingerprint, event);
  const type = builtIn === undefined ? clientType : 'custom';

  if (type === 'default') {
    return variants;
  }

  if (type === 'custom') {
    for (const [name, root] of roots) {
      updateComponent(root, { contributes: false, hint: 'custom fingerprint takes precedence' });
      variants[name] = {
        ...(variants[name] as GroupingVariant),
        hash: null,
        contributes: false,
        hint: root.hint,
      };
    }

    const key = builtIn === undefined ? 'custom-fingerprint' : 'built-in-fingerprint';
    variants[key] = {
      type: 'custom_fingerprint',
      hash: hashFromValues(fingerprint),
      description: describeFingerprint(builtIn?.rule, serverMatch),
      contributes: true,
      values: fingerprint,
      ...(serverMatch === undefined ? {} : { matchedRule: serverMatch.rule.text }),
    };
    return variants;
  }

  for (const [name, root] of roots) {
    const values = fingerprint.flatMap((value) =>
      isDefaultVariable(value) ? [...iterContributingValues(root)] : [value],
    );
    variants[name] = {
      ...(variants[name] as GroupingVariant),
      type: 'salted_component',
      hash: root.contributes ? hashFromValues(values) : null,
      values: fingerprint,
      ...(serverMatch === undefined ? {} : { matchedRule: serverMatch.rule.text }),
    };
  }

  return variants;
}

function describeFingerprint(
  builtInRule: string | undefined,
  serverMatch: FingerprintRuleMatch | undefined,
): string {
  if (builtInRule !== undefined) {
    return `built-in fingerprint (${builtInRule})`;
  }

  return serverMatch === undefined ? 'custom fingerprint' : 'custom server fingerprint';
}

/** Orders hashes as Sentry does: the `system` variant last, duplicates removed. */
function collectHashes(variants: Record<string, GroupingVariant>): string[] {
  const entries = Object.entries(variants).sort(
    ([a], [b]) => Number(a === 'system') - Number(b === 'system'),
  );
  const hashes = entries
    .map(([, variant]) => variant.hash)
    .filter((hash): hash is string => hash !== null && CHECKSUM_PATTERN.test(hash));
  return [...new Set(hashes.map((hash) => hash.toLowerCase()))];
}

/**
 * Computes the grouping hashes of a normalized event with Sentry's default grouping config
 * `newstyle:2023-01-11`. The components give the `app` and `system` variants (`default` for
 * messages and security reports), and the event's fingerprint replaces or salts them. A legacy
 * `checksum` takes over entirely, and a `fallback` variant applies when nothing contributes.
 *
 * `hashes` lists only MD5 hex values, so a non-hex checksum shows up in `variants` alone.
 */
export function computeGrouping(
  event: NormalizedEvent,
  options: ComputeGroupingOptions = {},
): GroupingResult {
  if (event.checksum !== undefined) {
    const variants = checksumVariants(event.checksum);
    return { hashes: collectHashes(variants), variants };
  }

  const groupingOptions: GroupingOptions = {
    platform: event.platform,
    rules: {
      builtIn: BUILTIN_ENHANCEMENTS,
      project: options.enhancementRules ?? readProjectRules(options.enhancements),
    },
  };
  const roots = buildRootComponents(event, groupingOptions);
  const serverMatch =
    options.fingerprintingRules === undefined
      ? undefined
      : matchFingerprintRules(options.fingerprintingRules, event);
  const variants = applyFingerprint(event, roots, componentVariants(roots), serverMatch);

  if (!Object.values(variants).some((variant) => variant.contributes && variant.hash !== null)) {
    variants.fallback = {
      type: 'fallback',
      hash: hashFromValues([]),
      description: 'fallback',
      contributes: true,
    };
  }

  return serverMatch?.title === undefined
    ? { hashes: collectHashes(variants), variants }
    : { hashes: collectHashes(variants), variants, title: serverMatch.title };
}
