import type { Context } from './event-types.js';

interface UserAgentRule {
  name: string;
  pattern: RegExp;
}

/** Browser families, most specific first (Edge and Opera also claim to be Chrome and Safari). */
const BROWSER_RULES: UserAgentRule[] = [
  { name: 'Edge', pattern: /\bEdg(?:e|A|iOS)?\/(\d+(?:\.\d+){0,2})/ },
  { name: 'Opera', pattern: /\bOPR\/(\d+(?:\.\d+){0,2})/ },
  { name: 'HeadlessChrome', pattern: /\bHeadlessChrome\/(\d+(?:\.\d+){0,2})/ },
  { name: 'Chrome Mobile', pattern: /\bChrome\/(\d+(?:\.\d+){0,2})[^ ]* Mobile\b/ },
  { name: 'Chrome', pattern: /\b(?:Chrome|CriOS)\/(\d+(?:\.\d+){0,2})/ },
  { name: 'Firefox', pattern: /\b(?:Firefox|FxiOS)\/(\d+(?:\.\d+){0,2})/ },
  { name: 'Mobile Safari', pattern: /\bVersion\/(\d+(?:\.\d+){0,2}).* Mobile\/\S+ Safari\// },
  { name: 'Safari', pattern: /\bVersion\/(\d+(?:\.\d+){0,2}).* Safari\// },
];

const OS_RULES: UserAgentRule[] = [
  { name: 'Windows', pattern: /\bWindows NT (\d+\.\d+)/ },
  { name: 'iOS', pattern: /\b(?:iPhone|CPU) OS (\d+(?:_\d+){0,2})/ },
  { name: 'Android', pattern: /\bAndroid (\d+(?:\.\d+){0,2})/ },
  { name: 'Mac OS X', pattern: /\bMac OS X (\d+(?:[_.]\d+){0,2})/ },
  { name: 'Chrome OS', pattern: /\bCrOS \S+ (\d+(?:\.\d+){0,2})/ },
  { name: 'Linux', pattern: /\bLinux\b()/ },
];

/** Windows NT kernel versions as marketed. */
const WINDOWS_VERSIONS: Record<string, string> = {
  '10.0': '10',
  '6.3': '8.1',
  '6.2': '8',
  '6.1': '7',
  '6.0': 'Vista',
  '5.1': 'XP',
};

function matchRule(
  userAgent: string,
  rules: UserAgentRule[],
): { name: string; version: string } | undefined {
  for (const rule of rules) {
    const match = rule.pattern.exec(userAgent);

    if (match !== null) {
      return { name: rule.name, version: (match[1] ?? '').replace(/_/g, '.') };
    }
  }

  return undefined;
}

/**
 * Derives `browser` and `os` contexts from a User-Agent header, as Relay does for events that
 * do not carry them.
 *
 * NOTE: Relay uses the full uap-core rule set. This covers only the common desktop and mobile
 * browsers, so rarer agents get no context where Relay would name them.
 */
export function inferUserAgentContexts(userAgent: string): Record<string, Context> {
  const contexts: Record<string, Context> = {};
  const browser = matchRule(userAgent, BROWSER_RULES);
  const os = matchRule(userAgent, OS_RULES);

  if (browser !== undefined) {
    contexts.browser = { type: 'browser', name: browser.name, version: browser.version };
  }

  if (os !== undefined) {
    const version =
      os.name === 'Windows' ? (WINDOWS_VERSIONS[os.version] ?? os.version) : os.version;
    contexts.os =
      version === '' ? { type: 'os', name: os.name } : { type: 'os', name: os.name, version };
  }

  return contexts;
}
