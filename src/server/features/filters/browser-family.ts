import UAParser from 'ua-parser-js';

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
function mobileFamily(name: string, userAgent: string, osName: string | undefined): string {
  const isMobile = /\bMobile\b/.test(userAgent);

  switch (name) {
    case 'Chrome':
      if (/\bCriOS\//.test(userAgent)) {
        return 'Chrome Mobile iOS';
      }
      return osName === 'Android' && isMobile ? 'Chrome Mobile' : name;
    case 'Firefox':
      if (/\bFxiOS\//.test(userAgent)) {
        return 'Firefox iOS';
      }
      return osName === 'Android' && isMobile ? 'Firefox Mobile' : name;
    case 'Edge':
      return /\bEdg(A|iOS)\//.test(userAgent) ? 'Edge Mobile' : name;
    case 'Opera':
      return osName === 'Android' ? 'Opera Mobile' : name;
    default:
      return RENAMED_FAMILIES[name] ?? name;
  }
}

/**
 * Derives the uap-core browser family and major version from a User-Agent header.
 *
 * NOTE: ua-parser-js 1.x and uap-core agree on the browsers the legacy-browser filter names
 * (IE, Edge, Safari, Chrome, Firefox, Opera, Opera Mini, the Android stock browser). Rarer
 * agents may get a different family name than Relay would give them.
 */
export function parseBrowserFamily(userAgent: string): BrowserFamily {
  const result = new UAParser(userAgent).getResult();
  const name = result.browser.name;

  if (name === undefined) {
    return { family: 'Other', major: undefined };
  }

  // uap-core versions the Android stock browser by the Android release, not its WebKit
  // `Version/4.0` token.
  if (name === 'Android Browser') {
    return { family: 'Android', major: parseMajor(result.os.version) };
  }

  return {
    family: mobileFamily(name, userAgent, result.os.name),
    major: parseMajor(result.browser.version),
  };
}
