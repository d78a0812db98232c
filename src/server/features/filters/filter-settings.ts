import { FILTER_OPTION_KEYS, type FilterOptionKey } from '../../../shared/api/filters.js';
import { GlobPattern, MAX_LIST_TOKENS } from './glob-pattern.js';
import type { InboundFilterInput } from './inbound-filters.js';
import { parseIpNetwork } from '../../platform/net/ip-network.js';
import {
  DEFAULT_LEGACY_BROWSER_SUBFILTERS,
  isLegacyBrowserSubfilter,
  type LegacyBrowserSubfilter,
} from './legacy-browsers.js';

/** A project's inbound-filter settings, as stored and as the API reads and writes them. */
export interface FilterSettings {
  browserExtensions: boolean;
  localhost: boolean;
  webCrawlers: boolean;
  filteredTransaction: boolean;
  /** `true` is Relay's default set, `false` is off, a list names the sub-filters that are on. */
  legacyBrowsers: boolean | LegacyBrowserSubfilter[];
  blacklistedIps: string[];
  releases: string[];
  errorMessages: string[];
}

/**
 * Settings of a project that never saved any, which is every project created before filters
 * existed: Sentry's option defaults, where only the health-check filter is on.
 */
export const UNSET_FILTER_SETTINGS: Readonly<FilterSettings> = {
  browserExtensions: false,
  localhost: false,
  webCrawlers: false,
  filteredTransaction: true,
  legacyBrowsers: false,
  blacklistedIps: [],
  releases: [],
  errorMessages: [],
};

/**
 * Settings of a newly created project. Sentry turns on the browser-extension, legacy-browser
 * (all current sub-filters), web-crawler and health-check filters; localhost stays off.
 */
export const NEW_PROJECT_FILTER_SETTINGS: Readonly<FilterSettings> = {
  ...UNSET_FILTER_SETTINGS,
  browserExtensions: true,
  webCrawlers: true,
  legacyBrowsers: [...DEFAULT_LEGACY_BROWSER_SUBFILTERS],
};

/** Converts settings into the inputs of the matching config. */
export function toFilterInput(settings: FilterSettings): InboundFilterInput {
  let legacyBrowsers: InboundFilterInput['legacyBrowsers'] = [];
  if (settings.legacyBrowsers === true) {
    legacyBrowsers = ['default'];
  } else if (settings.legacyBrowsers !== false) {
    legacyBrowsers = settings.legacyBrowsers;
  }

  return {
    browserExtensions: settings.browserExtensions,
    localhost: settings.localhost,
    webCrawlers: settings.webCrawlers,
    healthChecks: settings.filteredTransaction,
    legacyBrowsers,
    blacklistedIps: settings.blacklistedIps,
    releases: settings.releases,
    errorMessages: settings.errorMessages,
  };
}

/** Stores the legacy-browser state as `0`, `1` or a JSON list, Sentry's option values. */
export function encodeLegacyBrowsers(value: FilterSettings['legacyBrowsers']): string {
  if (typeof value === 'boolean') {
    return value ? '1' : '0';
  }
  return JSON.stringify(value);
}

export function decodeLegacyBrowsers(text: string): FilterSettings['legacyBrowsers'] {
  if (text === '1' || text === '0') {
    return text === '1';
  }

  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed.filter((entry): entry is LegacyBrowserSubfilter =>
        typeof entry === 'string' ? isLegacyBrowserSubfilter(entry) : false,
      );
    }
  } catch {
    // A value this code did not write is read as the filter being off.
  }
  return false;
}

/** Splits a newline-separated option into its non-empty, trimmed lines. */
export function splitOptionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const OPTION_FIELDS = {
  'filters:blacklisted_ips': 'blacklistedIps',
  'filters:releases': 'releases',
  'filters:error_messages': 'errorMessages',
} as const satisfies Record<FilterOptionKey, keyof FilterSettings>;

export const MAX_OPTION_LINES = 500;

export function isFilterOptionKey(key: string): key is FilterOptionKey {
  return (FILTER_OPTION_KEYS as readonly string[]).includes(key);
}

/** The custom filter lists as the project API returns them under `options`. */
export function readFilterOptions(settings: FilterSettings): Record<FilterOptionKey, string> {
  return {
    'filters:blacklisted_ips': settings.blacklistedIps.join('\n'),
    'filters:releases': settings.releases.join('\n'),
    'filters:error_messages': settings.errorMessages.join('\n'),
  };
}

/**
 * Checks one option's lines and returns the problem with the first bad line, or undefined when
 * all are valid: IP lists take addresses and CIDR ranges, the others glob patterns.
 */
function findInvalidLine(option: FilterOptionKey, lines: string[]): string | undefined {
  if (lines.length > MAX_OPTION_LINES) {
    return `has ${lines.length} entries; the maximum is ${MAX_OPTION_LINES}`;
  }

  let tokens = 0;
  for (const line of lines) {
    if (option === 'filters:blacklisted_ips') {
      if (parseIpNetwork(line) === undefined) {
        return `entry ${JSON.stringify(line)} is not an IP address or CIDR range`;
      }
      continue;
    }
    try {
      tokens += GlobPattern.compile(line).size;
    } catch (error) {
      return (error as Error).message;
    }
  }

  if (tokens > MAX_LIST_TOKENS) {
    return `patterns expand to ${tokens} tokens; the maximum is ${MAX_LIST_TOKENS}: use fewer or shorter patterns`;
  }
  return undefined;
}

/**
 * Turns option values into settings fields.
 * @returns the fields to update, or the problems by option key when a value is invalid.
 */
export function parseFilterOptions(
  options: Partial<Record<FilterOptionKey, string>>,
):
  | { ok: true; fields: Partial<Pick<FilterSettings, (typeof OPTION_FIELDS)[FilterOptionKey]>> }
  | { ok: false; problems: Record<string, string> } {
  const fields: Partial<Record<(typeof OPTION_FIELDS)[FilterOptionKey], string[]>> = {};
  const problems: Record<string, string> = {};

  for (const option of FILTER_OPTION_KEYS) {
    const text = options[option];
    if (text === undefined) {
      continue;
    }

    const lines = splitOptionLines(text);
    const problem = findInvalidLine(option, lines);
    if (problem === undefined) {
      fields[OPTION_FIELDS[option]] = lines;
    } else {
      problems[option] = `${option} ${problem}`;
    }
  }

  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, fields };
}
