import { z } from 'zod';

import { ValidationError } from '../../platform/errors.js';
import { parseAllowedDomains } from './allowed-domains.js';
import { MAX_RATE_LIMIT_WINDOW } from './key-settings.js';
import type { RateLimitSetting } from './quotas.js';

const MAX_RATE_LIMIT_COUNT = 1_000_000_000;

/**
 * `rateLimit` as Sentry's key API takes it: `{window, count}` or null to clear it. A zero or
 * missing count or window also means no limit, as in Sentry.
 */
export const rateLimitSchema = z
  .object({
    window: z.number().int().min(0).max(MAX_RATE_LIMIT_WINDOW).nullish(),
    count: z.number().int().min(0).max(MAX_RATE_LIMIT_COUNT).nullish(),
  })
  .nullable();

/** A list of allowed domain patterns, checked pattern by pattern. */
export const allowedDomainsSchema = z
  .array(z.string().max(255))
  .max(100)
  .transform((patterns, context) => {
    const parsed = parseAllowedDomains(patterns);
    if (!parsed.ok) {
      for (const problem of parsed.problems) {
        context.addIssue({ code: 'custom', message: problem });
      }
      return z.NEVER;
    }
    return parsed.domains;
  });

/** Turns a parsed `rateLimit` value into the stored setting: null means no limit. */
export function toStoredRateLimit(value: z.infer<typeof rateLimitSchema>): RateLimitSetting | null {
  if (value === null || !value.window || !value.count) {
    return null;
  }
  return { window: value.window, count: value.count };
}

/**
 * Parses a request body with a schema.
 * @throws ValidationError listing each invalid field as Sentry does (`{"field": ["message"]}`).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) {
    return parsed.data;
  }

  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key =
      issue.path.filter((part) => typeof part !== 'number').join('.') || 'non_field_errors';
    (fields[key] ??= []).push(issue.message);
  }
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join(', ');
  throw new ValidationError(`Invalid request body (${summary})`, fields);
}
