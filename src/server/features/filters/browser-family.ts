import { createRequire } from 'node:module';

import type UAParserClass from 'ua-parser-js';

/** A browser as uap-core names it (the parser behind Relay's legacy-browser filter). */
export interface BrowserFamily {
  family: string;
  /** Major version, or undefined when the user agent gives none. */
  major: number | undefined;
}

/**
 * ua-parser-js names that differ from uap-core's family for the same browser. The families
 * matter because the legacy-browser filter compares exact names: uap-core calls Chrome on a
 * phone "Chrome Mobile", which a `chrome` sub-filter does not cover.
 */
const RENAMED_FAMILIES: Record<string, string> = {
  IEMobile: 'IE Mobile',
  'Chrome WebView': 'Chrome Mobile WebView',
  'Chrome Headless': 'HeadlessChrome',
  'Opera Mobi': 'Opera Mobile',
  'Mobile Firefox': 'Firefox Mobile',
};

function parseMajor(version: string | undefined): number | undefined {
  const match = /^\d+/.exec(version ?? '');
  return match === null ? undefined : Number(match[0]);
}

/** Names mobile builds the way uap-core does, from tokens ua-parser-js folds into one name. */
function mobileFamily(name: string, userAgent: string, readOsName: () => string | undefined) {
  const isMobile = /\bMobile\b/.test(userAgent);

  switch (name) {
    case 'Chrome':
      if (/\bCriOS\//.test(userAgent)) {
        return 'Chrome Mobile iOS';
      }
      return readOsName() === 'Android' && isMobile ? 'Chrome Mobile' : name;
    case 'Firefox':
      if (/\bFxiOS\//.test(userAgent)) {
        return 'Firefox iOS';
      }
      return readOsName() === 'Android' && isMobile ? 'Firefox Mobile' : name;
    case 'Edge':
      return /\bEdg(A|iOS)\//.test(userAgent) ? 'Edge Mobile' : name;
    case 'Opera':
      return readOsName() === 'Android' ? 'Opera Mobile' : name;
    default:
      return RENAMED_FAMILIES[name] ?? name;
  }
}

/**
 * Parsed user agents by header value. Most traffic repeats a few agents, and a parse costs tens
 * of microseconds (about 20 µs each in a loop of 20,000 parses on Node 20), so results are kept
 * until the map is full and then dropped together. Long headers are not kept, which bounds the memory used.
 */
const MAX_CACHED_AGENTS = 1_000;
const MAX_CACHED_AGENT_LENGTH = 512;
const cachedFamilies = new Map<string, BrowserFamily>();
// ua-parser-js (CommonJS) is loaded with the first user agent to parse, so that the main thread,
// which imports this module through the filter routes, does not hold its regular expressions.
const requireModule = createRequire(import.meta.url);
let sharedParser: UAParserClass | undefined;

function parseUncached(userAgent: string): BrowserFamily {
  sharedParser ??= new (requireModule('ua-parser-js') as typeof UAParserClass)();
  const parser = sharedParser;
  parser.setUA(userAgent);
  const browser = parser.getBrowser();
  const name = browser.name;

  if (name === undefined) {
    return { family: 'Other', major: undefined };
  }

  // uap-core versions the Android stock browser by the Android release, not its WebKit
  // `Version/4.0` token.
  if (name === 'Android Browser') {
    return { family: 'Android', major: parseMajor(parser.getOS().version) };
  }

  return {
    family: mobileFamily(name, userAgent, () => parser.getOS().name),
    major: parseMajor(browser.version),
  };
}

/**
 * Derives the uap-core browser family and major version from a User-Agent header.
 *
 * NOTE: ua-parser-js 1.x and uap-core agree on the browsers the legacy-browser filter names
 * (IE, Edge, Safari, Chrome, Firefox, Opera, Opera Mini, the Android stock browser). Rarer
 * agents may get a different family name than Relay would give them.
 */
export function parseBrowserFamily(userAgent: string): BrowserFamily {
  const cached = cachedFamilies.get(userAgent);
  if (cached !== undefined) {
    return cached;
  }

  const parsed = parseUncached(userAgent);
  if (userAgent.length > MAX_CACHED_AGENT_LENGTH) {
    return parsed;
  }
  if (cachedFamilies.size >= MAX_CACHED_AGENTS) {
    cachedFamilies.clear();
  }
  cachedFamilies.set(userAgent, parsed);
  return parsed;
}
