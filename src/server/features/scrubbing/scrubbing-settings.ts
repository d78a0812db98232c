import { z } from 'zod';

import type { DataScrubbingSettings } from '../../../shared/api/data-scrubbing.js';
import { ValidationError } from '../../platform/errors.js';
import { compilePiiConfig, type CompiledPiiConfig, PiiConfigError } from './compile-config.js';
import { convertLegacyConfig, picketDefaultExtras } from './legacy-config.js';
import { REDACTION_METHODS, type PiiConfig } from './pii-rules.js';

/** A project's settings when none are stored: Sentry's defaults for a new project. */
export const PROJECT_DEFAULTS: DataScrubbingSettings = {
  dataScrubber: true,
  dataScrubberDefaults: true,
  scrubIPAddresses: false,
  sensitiveFields: [],
  safeFields: [],
  relayPiiConfig: null,
};

/** An organization's settings when none are stored: nothing is forced on its projects. */
export const ORGANIZATION_DEFAULTS: DataScrubbingSettings = {
  dataScrubber: false,
  dataScrubberDefaults: false,
  scrubIPAddresses: false,
  sensitiveFields: [],
  safeFields: [],
  relayPiiConfig: null,
};

export const SETTINGS_KEYS = Object.keys(PROJECT_DEFAULTS) as (keyof DataScrubbingSettings)[];

const MAX_FIELDS = 200;
const MAX_FIELD_CHARS = 200;
const MAX_PII_CONFIG_CHARS = 50_000;

const fieldList = z
  .array(z.string().max(MAX_FIELD_CHARS))
  .max(MAX_FIELDS)
  .transform((fields) => [...new Set(fields.map((field) => field.trim()).filter(Boolean))]);

const redactionSchema = z.strictObject({
  method: z.enum(REDACTION_METHODS),
  text: z.string().max(200).optional(),
});

const ruleSchema = z.union([
  z.strictObject({
    type: z.enum([
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
    ]),
    redaction: redactionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('pattern'),
    pattern: z.string().min(1),
    replaceGroups: z.array(z.number().int().min(0).max(99)).max(10).optional(),
    redaction: redactionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('redact_pair'),
    keyPattern: z.string().min(1),
    redaction: redactionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('multiple'),
    rules: z.array(z.string()).max(50),
    hideInner: z.boolean().optional(),
    redaction: redactionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('alias'),
    rule: z.string(),
    hideInner: z.boolean().optional(),
    redaction: redactionSchema.optional(),
  }),
]);

const piiConfigSchema = z.object({
  rules: z.record(z.string().max(100), ruleSchema).optional(),
  applications: z.record(z.string().max(2000), z.array(z.string().max(100)).max(50)).optional(),
});

/** Reads `relayPiiConfig` text as JSON in the PII config shape, without compiling it. */
function readPiiConfigJson(text: string): PiiConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('Invalid relayPiiConfig: the text is not valid JSON', {
      relayPiiConfig: ['Enter valid JSON.'],
    });
  }
  const parsed = piiConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new ValidationError(`Invalid relayPiiConfig: ${where}: ${issue?.message ?? ''}`, {
      relayPiiConfig: parsed.error.issues.map(
        (entry) => `${entry.path.join('.')}: ${entry.message}`,
      ),
    });
  }
  return parsed.data;
}

/**
 * Parses and checks `relayPiiConfig` text: every selector must parse, every rule id must exist
 * and every pattern must pass `compileUserRegex`. Returns `undefined` for null or blank text.
 * @throws ValidationError naming the problem.
 */
export function parsePiiConfigText(text: string | null): PiiConfig | undefined {
  if (text === null || text.trim() === '') {
    return undefined;
  }
  const config = readPiiConfigJson(text);
  try {
    compilePiiConfig(config, { strict: true });
  } catch (error) {
    if (error instanceof PiiConfigError) {
      throw new ValidationError(`Invalid relayPiiConfig: ${error.message}`, {
        relayPiiConfig: [error.message],
      });
    }
    throw error;
  }
  return config;
}

/** The body of a settings update: any subset of the settings, checked before anything is written. */
export const settingsUpdateSchema = z.strictObject({
  dataScrubber: z.boolean().optional(),
  dataScrubberDefaults: z.boolean().optional(),
  scrubIPAddresses: z.boolean().optional(),
  sensitiveFields: fieldList.optional(),
  safeFields: fieldList.optional(),
  relayPiiConfig: z.string().max(MAX_PII_CONFIG_CHARS).nullable().optional(),
});

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

/**
 * Checks a settings update and returns it with `relayPiiConfig` normalized (blank becomes null).
 * @throws ValidationError naming the first invalid field.
 */
export function parseSettingsUpdate(body: unknown): SettingsUpdate {
  const parsed = settingsUpdateSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key =
        issue.code === 'unrecognized_keys'
          ? issue.keys.join(', ')
          : String(issue.path[0] ?? 'body');
      (fields[key] ??= []).push(issue.message);
    }
    const [first, messages] = Object.entries(fields)[0] ?? ['body', []];
    throw new ValidationError(
      `Invalid data-scrubbing settings: ${first}: ${messages[0] ?? ''}`,
      fields,
    );
  }
  const update = parsed.data;
  if (update.relayPiiConfig !== undefined) {
    update.relayPiiConfig =
      parsePiiConfigText(update.relayPiiConfig) === undefined ? null : update.relayPiiConfig;
  }
  return update;
}

/** Returns `current` with the fields that `update` sets. */
export function applySettingsUpdate(
  current: DataScrubbingSettings,
  update: SettingsUpdate,
): DataScrubbingSettings {
  return { ...current, ...stripUndefined(update) };
}

/** Reads stored settings JSON over `defaults`, ignoring fields of the wrong type. */
export function readSettingsJson(
  text: string | undefined,
  defaults: DataScrubbingSettings,
): DataScrubbingSettings {
  if (text === undefined) {
    return { ...defaults };
  }
  const stored = settingsUpdateSchema.partial().safeParse(JSON.parse(text));
  return stored.success ? { ...defaults, ...stripUndefined(stored.data) } : { ...defaults };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/**
 * Combines a project's settings with its organization's as Sentry does: an organization flag
 * that is on forces the project's on, and the field lists are joined.
 */
export function combineSettings(
  organization: DataScrubbingSettings,
  project: DataScrubbingSettings,
): DataScrubbingSettings {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    dataScrubber: organization.dataScrubber || project.dataScrubber,
    dataScrubberDefaults: organization.dataScrubberDefaults || project.dataScrubberDefaults,
    scrubIPAddresses: organization.scrubIPAddresses || project.scrubIPAddresses,
    sensitiveFields: union(organization.sensitiveFields, project.sensitiveFields),
    safeFields: union(organization.safeFields, project.safeFields),
    relayPiiConfig: project.relayPiiConfig,
  };
}

/**
 * Builds the compiled config the worker runs for a project: the organization's advanced rules,
 * then the project's, then the rules of the simple options (Relay runs the advanced PII config
 * before the data-scrubbing options too). Stored rules that no longer compile fail closed (see
 * `compilePiiConfig`).
 */
export function buildScrubbingConfig(
  organization: DataScrubbingSettings,
  project: DataScrubbingSettings,
): CompiledPiiConfig {
  const combined = combineSettings(organization, project);
  const configs: PiiConfig[] = [];
  for (const text of [organization.relayPiiConfig, project.relayPiiConfig]) {
    const config = safeParsePiiConfig(text);
    if (config !== undefined) {
      configs.push(config);
    }
  }
  const legacy = convertLegacyConfig({
    scrub_data: combined.dataScrubber,
    scrub_defaults: combined.dataScrubberDefaults,
    scrub_ip_addresses: combined.scrubIPAddresses,
    sensitive_fields: combined.sensitiveFields,
    exclude_fields: combined.safeFields,
  });
  if (legacy !== undefined) {
    configs.push(legacy);
  }
  if (combined.dataScrubber && combined.dataScrubberDefaults) {
    configs.push(picketDefaultExtras(combined.safeFields));
  }
  return {
    applications: configs.flatMap((config) => compilePiiConfig(config).applications),
    removesClientIp: combined.scrubIPAddresses,
  };
}

function safeParsePiiConfig(text: string | null): PiiConfig | undefined {
  if (text === null || text.trim() === '') {
    return undefined;
  }
  try {
    return readPiiConfigJson(text);
  } catch {
    // Stored text was checked when saved, so this only happens to rows written another way.
    // NOTE: such rules are skipped; the simple options still apply.
    return undefined;
  }
}
