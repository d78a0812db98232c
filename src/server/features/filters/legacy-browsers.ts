import { parseBrowserFamily, type BrowserFamily } from './browser-family.js';

/**
 * Sentry's legacy-browser sub-filters. The first eight are the current options; the `_pre_` and
 * numbered ones are the older options Sentry still accepts and shows as deprecated.
 */
export const LEGACY_BROWSER_SUBFILTERS = [
  'chrome',
  'edge',
  'firefox',
  'ie',
  'opera',
  'opera_mini',
  'safari',
  'android',
  'ie_pre_9',
  'ie9',
  'ie10',
  'ie11',
  'opera_pre_15',
  'opera_mini_pre_8',
  'android_pre_4',
  'safari_pre_6',
  'edge_pre_79',
] as const;

export type LegacyBrowserSubfilter = (typeof LEGACY_BROWSER_SUBFILTERS)[number];

/** The sub-filters Sentry turns on for a new project. */
export const DEFAULT_LEGACY_BROWSER_SUBFILTERS: readonly LegacyBrowserSubfilter[] = [
  'android',
  'chrome',
  'edge',
  'firefox',
  'ie',
  'opera',
  'opera_mini',
  'safari',
];

/**
 * `default` is Relay's option for a filter switched on as a whole (`active: true`): one minimum
 * version per browser.
 */
export type LegacyBrowserOption = LegacyBrowserSubfilter | 'default';

interface VersionRule {
  family: string;
  test: (major: number) => boolean;
}

/**
 * The family and versions each sub-filter drops. The deprecated options follow Relay's rules
 * (IE 8 and older, IE 9, IE 10, IE 11, Opera before 15, Opera Mini before 8, Android before 4,
 * Safari before 6, Edge before 79). The current options drop the versions Sentry's API
 * documentation gives: IE 11 and older, Edge, Chrome and Firefox 110 and older, Safari 15 and
 * older, Opera 99 and older, Opera Mini 34 and older, Android 3 and older.
 */
const SUBFILTER_RULES: Record<LegacyBrowserSubfilter, VersionRule> = {
  chrome: { family: 'Chrome', test: (major) => major <= 110 },
  edge: { family: 'Edge', test: (major) => major <= 110 },
  firefox: { family: 'Firefox', test: (major) => major <= 110 },
  ie: { family: 'IE', test: (major) => major <= 11 },
  opera: { family: 'Opera', test: (major) => major <= 99 },
  opera_mini: { family: 'Opera Mini', test: (major) => major <= 34 },
  safari: { family: 'Safari', test: (major) => major <= 15 },
  android: { family: 'Android', test: (major) => major <= 3 },
  ie_pre_9: { family: 'IE', test: (major) => major <= 8 },
  ie9: { family: 'IE', test: (major) => major === 9 },
  ie10: { family: 'IE', test: (major) => major === 10 },
  ie11: { family: 'IE', test: (major) => major === 11 },
  opera_pre_15: { family: 'Opera', test: (major) => major < 15 },
  opera_mini_pre_8: { family: 'Opera Mini', test: (major) => major < 8 },
  android_pre_4: { family: 'Android', test: (major) => major < 4 },
  safari_pre_6: { family: 'Safari', test: (major) => major < 6 },
  edge_pre_79: { family: 'Edge', test: (major) => major < 79 },
};

/**
 * Lowest version kept by the `default` option, per family. A family not listed is kept.
 *
 * NOTE: these are the minimums of the Relay version whose test cases the conformance check
 * uses; newer Relay releases raised them.
 */
const DEFAULT_MIN_VERSIONS: Record<string, number> = {
  IE: 10,
  Safari: 6,
  Opera: 15,
  'Opera Mini': 8,
  Android: 4,
};

export function isLegacyBrowserSubfilter(value: string): value is LegacyBrowserSubfilter {
  return (LEGACY_BROWSER_SUBFILTERS as readonly string[]).includes(value);
}

function isDroppedBy(option: LegacyBrowserOption, browser: BrowserFamily): boolean {
  if (browser.major === undefined) {
    return false;
  }
  if (option === 'default') {
    const minimum = DEFAULT_MIN_VERSIONS[browser.family];
    return minimum !== undefined && browser.major < minimum;
  }

  const rule = SUBFILTER_RULES[option];
  return rule.family === browser.family && rule.test(browser.major);
}

/**
 * Checks whether a user agent is one of the legacy browsers the options select. IE Mobile
 * counts as IE, as in Relay. When `default` is among the options, the others are ignored.
 */
export function isLegacyBrowser(userAgent: string, options: readonly LegacyBrowserOption[]) {
  if (options.length === 0) {
    return false;
  }

  const parsed = parseBrowserFamily(userAgent);
  const browser = parsed.family === 'IE Mobile' ? { ...parsed, family: 'IE' } : parsed;

  if (options.includes('default')) {
    return isDroppedBy('default', browser);
  }
  return options.some((option) => isDroppedBy(option, browser));
}
