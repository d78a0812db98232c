import { createHash } from 'node:crypto';

// Not the grouping index, which also loads the grouping routes.
import { computeGrouping, type GroupingResult } from '../grouping/compute-grouping.js';
import { matchFingerprintRules } from '../grouping/fingerprint-matcher.js';
import { type CompiledGroupingRules, EMPTY_RULES } from '../grouping/project-rules.js';
import type { NormalizedEvent } from '../processing/event-types.js';

const MAX_ENTRIES = 5_000;
const cache = new Map<string, GroupingResult>();

// Frame fields that grouping never reads; they differ between events of one issue.
const IGNORED_KEYS = new Set(['vars', 'pre_context', 'post_context']);

/**
 * Computes the grouping of an event with its project's rules, reusing the result of an earlier
 * event whose grouping inputs were the same. Grouping is a pure function of those inputs
 * (platform, SDK version, checksum, exceptions, stack traces, threads, message, security report,
 * the project's stack-trace rules) and costs about 0.1 ms per event, while most events repeat a
 * stack trace seen before. Events with a fingerprint, sent by the SDK or set by a matching
 * fingerprint rule, are not cached, because fingerprint variables read other fields.
 */
export function computeGroupingCached(
  event: NormalizedEvent,
  rules: CompiledGroupingRules = EMPTY_RULES,
): GroupingResult {
  const options = {
    enhancementRules: rules.enhancements,
    fingerprintingRules: rules.fingerprinting,
  };

  if (
    event.fingerprint !== undefined ||
    (rules.fingerprinting.length > 0 && matchFingerprintRules(rules.fingerprinting, event))
  ) {
    return computeGrouping(event, options);
  }

  const inputs = {
    rules: rules.key,
    platform: event.platform,
    sdkVersion: event.sdk?.version,
    checksum: event.checksum,
    exception: event.exception,
    stacktrace: event.stacktrace,
    threads: event.threads,
    message: event.message,
    security: event.security,
  };
  const text = JSON.stringify(inputs, (key, value: unknown) =>
    IGNORED_KEYS.has(key) ? undefined : value,
  );
  const key = createHash('sha1').update(text).digest('base64');
  const cached = cache.get(key);

  if (cached !== undefined) {
    return cached;
  }

  const result = computeGrouping(event, options);
  if (cache.size >= MAX_ENTRIES) {
    cache.clear();
  }
  cache.set(key, result);
  return result;
}
