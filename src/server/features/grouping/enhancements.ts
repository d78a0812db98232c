import type { StackFrame } from '../processing/event-types.js';

import { compileGlob, type Glob } from './glob.js';
import type { EnhancementRule, FrameMatcher, RuleAction } from './enhancement-parser.js';
import { getBehaviorFamily } from './function-name.js';
import { type GroupingComponent, updateComponent } from './grouping-component.js';

/** A stack frame as the rules see it, with the in-app flag and category the rules assigned. */
export interface GroupingFrame {
  frame: StackFrame;
  platform: string | undefined;
  inApp: boolean;
  category: string | undefined;
}

/** The exception a stack trace belongs to, for the `error.*` matchers. */
export interface ExceptionData {
  type?: string | undefined;
  value?: string | undefined;
  mechanism?: string | undefined;
}

export interface RuleSet {
  /** Built-in rules. They leave `in_app` alone when the SDK set it. */
  builtIn: readonly EnhancementRule[];
  /** Project rules, applied after the built-in ones; they may override the SDK's `in_app`. */
  project: readonly EnhancementRule[];
}

interface MatchFrame {
  frame: StackFrame;
  platform: string | undefined;
  inApp: boolean | undefined;
  category: string | undefined;
}

// Compiled patterns per matcher object: the rules are parsed once and matched against every
// frame of every event, so the lookup must not build a string key each time.
const pathRegexes = new WeakMap<FrameMatcher, Glob>();
const nameRegexes = new WeakMap<FrameMatcher, Glob>();

function pathRegexFor(matcher: FrameMatcher): Glob {
  let regex = pathRegexes.get(matcher);
  if (regex === undefined) {
    regex = compileGlob(matcher.pattern, true, true);
    pathRegexes.set(matcher, regex);
  }
  return regex;
}

function nameRegexFor(matcher: FrameMatcher): Glob {
  let regex = nameRegexes.get(matcher);
  if (regex === undefined) {
    regex = compileGlob(matcher.pattern, false, false);
    nameRegexes.set(matcher, regex);
  }
  return regex;
}

function matchesPath(value: string | undefined, matcher: FrameMatcher): boolean {
  if (value === undefined) {
    return false;
  }

  const path = value.includes('\\') ? value.replace(/\\/g, '/') : value;
  const regex = pathRegexFor(matcher);
  return regex.test(path) || (!path.startsWith('/') && regex.test(`/${path}`));
}

function parseBooleanPattern(pattern: string): boolean | undefined {
  const lower = pattern.toLowerCase();

  if (['yes', 'true', '1'].includes(lower)) {
    return true;
  }

  return ['no', 'false', '0'].includes(lower) ? false : undefined;
}

function matchesPositive(
  matcher: FrameMatcher,
  frame: MatchFrame,
  exception: ExceptionData,
): boolean {
  const glob = (value: string | undefined): boolean =>
    value !== undefined && nameRegexFor(matcher).test(value);

  switch (matcher.key) {
    case 'family': {
      const families = matcher.pattern.split(',');
      return families.includes('all') || families.includes(getBehaviorFamily(frame.platform));
    }
    case 'path':
      return (
        matchesPath(frame.frame.abs_path, matcher) || matchesPath(frame.frame.filename, matcher)
      );
    case 'package':
      return matchesPath(frame.frame.package, matcher);
    case 'module':
      return glob(frame.frame.module);
    case 'function':
      return glob(frame.frame.function);
    case 'category':
      return glob(frame.category);
    case 'app': {
      const expected = parseBooleanPattern(matcher.pattern);
      return expected !== undefined && frame.inApp === expected;
    }
    case 'type':
      return glob(exception.type);
    case 'value':
      return glob(exception.value);
    case 'mechanism':
      return glob(exception.mechanism);
  }
}

function matchesAll(
  matchers: FrameMatcher[],
  frame: MatchFrame | undefined,
  exception: ExceptionData,
): boolean {
  if (frame === undefined) {
    return false;
  }

  return matchers.every(
    (matcher) => matchesPositive(matcher, frame, exception) !== matcher.negated,
  );
}

// Matchers that look only at the frame's own location, so their result can be cached per
// distinct frame. The others (app, category, exception fields) change while rules run.
const STATIC_MATCHER_KEYS = new Set<string>(['family', 'path', 'package', 'module', 'function']);
const staticMaskCache = new WeakMap<readonly EnhancementRule[], Map<string, Uint8Array>>();
const MAX_CACHED_FRAMES = 50_000;
const NO_EXCEPTION: ExceptionData = {};

function frameKey(frame: MatchFrame): string {
  const { abs_path, filename, package: packageName, module, function: name } = frame.frame;
  return `${frame.platform}\u0000${abs_path}\u0000${filename}\u0000${packageName}\u0000${module}\u0000${name}`;
}

/**
 * Returns, per frame, which rules of `rules` pass their static matchers (1) or not (0). Events
 * repeat the same frames, so the masks are cached per distinct frame: without it, checking
 * every built-in rule against every frame cost about 1 ms per event.
 */
function staticMasks(rules: readonly EnhancementRule[], frames: MatchFrame[]): Uint8Array[] {
  let cache = staticMaskCache.get(rules);
  if (cache === undefined) {
    cache = new Map();
    staticMaskCache.set(rules, cache);
  }

  return frames.map((frame) => {
    const key = frameKey(frame);
    let mask = cache.get(key);

    if (mask === undefined) {
      const computed = new Uint8Array(rules.length);
      rules.forEach((rule, ruleIndex) => {
        const passes = rule.matchers.every(
          (matcher) =>
            !STATIC_MATCHER_KEYS.has(matcher.key) ||
            matchesPositive(matcher, frame, NO_EXCEPTION) !== matcher.negated,
        );
        computed[ruleIndex] = passes ? 1 : 0;
      });
      if (cache.size >= MAX_CACHED_FRAMES) {
        cache.clear();
      }
      cache.set(key, computed);
      mask = computed;
    }

    return mask;
  });
}

/** Indexes of the frames a rule matches, with its caller and callee conditions checked. */
function matchingFrameIndexes(
  rule: EnhancementRule,
  ruleIndex: number,
  masks: Uint8Array[],
  frames: MatchFrame[],
  exception: ExceptionData,
): number[] {
  const indexes: number[] = [];

  frames.forEach((frame, index) => {
    if (masks[index]?.[ruleIndex] !== 1) {
      return;
    }

    const dynamicOk = rule.matchers.every(
      (matcher) =>
        STATIC_MATCHER_KEYS.has(matcher.key) ||
        matchesPositive(matcher, frame, exception) !== matcher.negated,
    );
    const callerOk =
      rule.callerMatchers.length === 0 ||
      matchesAll(rule.callerMatchers, frames[index - 1], exception);
    const calleeOk =
      rule.calleeMatchers.length === 0 ||
      matchesAll(rule.calleeMatchers, frames[index + 1], exception);

    if (dynamicOk && callerOk && calleeOk) {
      indexes.push(index);
    }
  });

  return indexes;
}

/** Frames an action applies to: the matched one, or those after (`^`) or before (`v`) it. */
function rangeIndexes(action: RuleAction, index: number, length: number): number[] {
  const range = action.kind === 'flag' ? action.range : undefined;

  if (range === 'up') {
    return Array.from({ length: length - index - 1 }, (_, offset) => index + 1 + offset);
  }

  return range === 'down' ? Array.from({ length: index }, (_, offset) => offset) : [index];
}

/**
 * Applies the in-app (`+app`/`-app`) and `category=` actions to the frames, built-in rules first.
 * Frames that end up without an in-app flag count as not in app, as in Sentry.
 */
export function applyFrameModifications(
  frames: StackFrame[],
  eventPlatform: string,
  exception: ExceptionData,
  rules: RuleSet,
): GroupingFrame[] {
  const matchFrames: MatchFrame[] = frames.map((frame) => ({
    frame,
    platform: frame.platform ?? eventPlatform,
    inApp: frame.in_app,
    category: undefined,
  }));

  const builtInMasks = staticMasks(rules.builtIn, matchFrames);
  const projectMasks = staticMasks(rules.project, matchFrames);

  const apply = (rule: EnhancementRule, ruleIndex: number, isBuiltIn: boolean): void => {
    const masks = isBuiltIn ? builtInMasks : projectMasks;
    for (const index of matchingFrameIndexes(rule, ruleIndex, masks, matchFrames, exception)) {
      for (const action of rule.actions) {
        if (action.kind === 'variable' && action.name === 'category') {
          const target = matchFrames[index];

          if (target !== undefined) {
            target.category = action.value;
          }
        } else if (action.kind === 'flag' && action.flag === 'app') {
          for (const targetIndex of rangeIndexes(action, index, matchFrames.length)) {
            const target = matchFrames[targetIndex];

            if (target !== undefined && !(isBuiltIn && target.frame.in_app !== undefined)) {
              target.inApp = action.value;
            }
          }
        }
      }
    }
  };

  rules.builtIn.forEach((rule, ruleIndex) => {
    apply(rule, ruleIndex, true);
  });
  rules.project.forEach((rule, ruleIndex) => {
    apply(rule, ruleIndex, false);
  });

  return matchFrames.map((frame) => ({ ...frame, inApp: frame.inApp ?? false }));
}

export interface StacktraceRuleResult {
  /** Set by `min-frames=N`: the stack trace does not contribute with fewer contributing frames. */
  minFrames: number;
}

/**
 * Applies the grouping actions (`+group`/`-group` and `max-frames=N`) to the frame components of
 * one variant, as Sentry's `update_frame_components_contributions` does.
 */
export function applyGroupingRules(
  components: GroupingComponent[],
  frames: GroupingFrame[],
  variant: 'app' | 'system',
  exception: ExceptionData,
  rules: RuleSet,
): StacktraceRuleResult {
  const variables = new Map<string, string>();

  const builtInMasks = staticMasks(rules.builtIn, frames);
  const projectMasks = staticMasks(rules.project, frames);
  const ordered = [
    ...rules.builtIn.map((rule, ruleIndex) => ({ rule, ruleIndex, masks: builtInMasks })),
    ...rules.project.map((rule, ruleIndex) => ({ rule, ruleIndex, masks: projectMasks })),
  ];

  for (const { rule, ruleIndex, masks } of ordered) {
    for (const index of matchingFrameIndexes(rule, ruleIndex, masks, frames, exception)) {
      for (const action of rule.actions) {
        if (action.kind === 'variable') {
          variables.set(action.name, action.value);
          continue;
        }

        if (action.flag !== 'group') {
          continue;
        }

        for (const targetIndex of rangeIndexes(action, index, frames.length)) {
          const component = components[targetIndex];
          const frame = frames[targetIndex];

          if (
            component === undefined ||
            frame === undefined ||
            component.contributes === action.value
          ) {
            continue;
          }

          if (action.value && variant === 'app' && !frame.inApp) {
            continue;
          }

          const verb = action.value ? 'un-ignored' : 'ignored';
          updateComponent(component, {
            contributes: action.value,
            hint: `${verb} by stack trace rule (${rule.text})`,
          });
        }
      }
    }
  }

  applyMaxFrames(components, Number(variables.get('max-frames') ?? 0));
  return { minFrames: Number(variables.get('min-frames') ?? 0) };
}

function applyMaxFrames(components: GroupingComponent[], maxFrames: number): void {
  if (!(maxFrames > 0)) {
    return;
  }

  let seen = 0;

  for (const component of [...components].reverse()) {
    if (!component.contributes) {
      continue;
    }

    seen++;

    if (seen > maxFrames) {
      const noun = maxFrames === 1 ? 'frame is' : 'frames are';
      updateComponent(component, {
        contributes: false,
        hint: `ignored because only ${maxFrames} ${noun} considered`,
      });
    }
  }
}
