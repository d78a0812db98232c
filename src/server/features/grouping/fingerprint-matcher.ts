import type { NormalizedEvent, StackFrame } from '../processing/event-types.js';

import { compileGlob } from './glob.js';
import type { FingerprintMatcher, FingerprintRule } from './fingerprint-rules.js';
import { resolveFingerprint } from './fingerprint.js';
import { getBehaviorFamily } from './function-name.js';

export interface FingerprintRuleMatch {
  rule: FingerprintRule;
  /** The rule's fingerprint; variables other than `{{ default }}` are resolved later. */
  fingerprint: string[];
  /** The rule's `title` attribute with its variables resolved. */
  title?: string;
}

interface MatchFrame {
  frame: StackFrame;
  platform: string;
}

function collectFrames(event: NormalizedEvent): MatchFrame[] {
  const stacktraces = [
    ...(event.exception?.values ?? []).map((exception) => exception.stacktrace),
    event.stacktrace,
    ...(event.threads?.values ?? []).map((thread) => thread.stacktrace),
  ];

  return stacktraces.flatMap((stacktrace) =>
    (stacktrace?.frames ?? []).map((frame) => ({
      frame,
      platform: frame.platform ?? event.platform,
    })),
  );
}

/** Sentry's `message` matcher reads the log message and every exception value. */
function collectMessages(event: NormalizedEvent): string[] {
  const messages = [event.message?.formatted, event.message?.message];

  for (const exception of event.exception?.values ?? []) {
    messages.push(exception.value);
  }

  return messages.filter((message): message is string => message !== undefined);
}

function matchesGlob(
  values: (string | undefined)[],
  pattern: string,
  options: { path?: boolean; ignoreCase?: boolean } = {},
): boolean {
  const regex = compileGlob(pattern, options.path ?? false, options.ignoreCase ?? false);
  return values.some((value) => value !== undefined && regex.test(value));
}

function matchesFrame(matcher: FingerprintMatcher, { frame }: MatchFrame): boolean {
  switch (matcher.key) {
    case 'module':
      return matchesGlob([frame.module], matcher.pattern, { path: true });
    case 'path':
      return matchesGlob([frame.abs_path, frame.filename], matcher.pattern, {
        path: true,
        ignoreCase: true,
      });
    case 'package':
      return matchesGlob([frame.package], matcher.pattern, { path: true, ignoreCase: true });
    case 'function':
      return matchesGlob([frame.function], matcher.pattern);
    case 'app': {
      const expected = ['yes', 'true', '1'].includes(matcher.pattern.toLowerCase());
      return (frame.in_app ?? false) === expected;
    }
    default:
      return false;
  }
}

function matchesPositive(matcher: FingerprintMatcher, event: NormalizedEvent): boolean {
  const exceptions = event.exception?.values ?? [];

  switch (matcher.key) {
    case 'type':
      return matchesGlob(
        exceptions.map((exception) => exception.type),
        matcher.pattern,
      );
    case 'value':
      return matchesGlob(
        exceptions.map((exception) => exception.value),
        matcher.pattern,
        { ignoreCase: true },
      );
    case 'message':
      return matchesGlob(collectMessages(event), matcher.pattern, { ignoreCase: true });
    case 'logger':
      return matchesGlob([event.logger], matcher.pattern, { path: true });
    case 'level':
      return matchesGlob([event.level], matcher.pattern, { ignoreCase: true });
    case 'tag':
      return matchesGlob(
        event.tags.filter(([key]) => key === matcher.tag).map(([, value]) => value),
        matcher.pattern,
      );
    case 'sdk':
      return matchesGlob([event.sdk?.name], matcher.pattern);
    case 'release':
      return matchesGlob([event.release], matcher.pattern, { ignoreCase: true });
    case 'family': {
      const families = matcher.pattern.split(',');
      const platforms = [event.platform, ...collectFrames(event).map((frame) => frame.platform)];
      return (
        families.includes('all') ||
        platforms.some((platform) => families.includes(getBehaviorFamily(platform)))
      );
    }
    default:
      return collectFrames(event).some((frame) => matchesFrame(matcher, frame));
  }
}

/** Whether every matcher of the rule matches the event (a negated one must not match). */
export function matchesFingerprintRule(rule: FingerprintRule, event: NormalizedEvent): boolean {
  return rule.matchers.every((matcher) => matchesPositive(matcher, event) !== matcher.negated);
}

/** Finds the first rule that matches the event, as Sentry applies only the first. */
export function matchFingerprintRules(
  rules: readonly FingerprintRule[],
  event: NormalizedEvent,
): FingerprintRuleMatch | undefined {
  const rule = rules.find((candidate) => matchesFingerprintRule(candidate, event));

  if (rule === undefined) {
    return undefined;
  }

  const title =
    rule.attributes.title === undefined ? undefined : resolveTitle(rule.attributes.title, event);
  return { rule, fingerprint: rule.fingerprint, title };
}

/** Replaces `{{ variable }}` placeholders inside a title with the event's values. */
function resolveTitle(title: string, event: NormalizedEvent): string {
  return title.replace(
    /\{\{[^}]*\}\}/g,
    (variable) => resolveFingerprint([variable], event)[0] ?? '',
  );
}
