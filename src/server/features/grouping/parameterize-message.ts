/**
 * Replaces event-specific values in messages and exception values with placeholders such as
 * `<int>` or `<url>`, so that the same message with other numbers groups together. The patterns
 * and their order follow Sentry's `normalize_message_for_grouping` (src/sentry/grouping/
 * parameterization.py); the first pattern that matches at a position wins.
 */

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const DAYS = 'Sun|Mon|Tue|Wed|Thu|Fri|Sat';
const ZONES = '(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])';
const TLDS =
  'com|net|org|jp|de|uk|fr|br|it|ru|es|me|gov|pl|ca|au|cn|co|in|nl|edu|info|eu|ch|id|at|kr|cz|mx|be|tv|se|tr|tw|al|ua|ir|vn|cl|sk|ly|cc|to|no|fi|us|pt|dk|ar|hu|tk|gr|il|news|ro|my|biz|ie|za|nz|sg|ee|th|io|xyz|pe|bg|hk|rs|lt|link|ph|club|si|site|mobi|by|cat|wiki|la|ga|xxx|cf|hr|ng|jobs|online|kz|ug|gq|ae|is|lv|pro|fm|tips|ms|sa|app';
const IPV4_OCTET = '(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])';
const IPV4 = `(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}`;
const H = '[0-9a-fA-F]{1,4}';

const IPV6_ALTERNATIVES = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?:(?::${H}){1,6})`,
  `:(?:(?::${H}){1,7}|:)`,
  `fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+`,
  `::(?:ffff(?::0{1,4})?:)?${IPV4}`,
  `(?:${H}:){1,4}:${IPV4}\\b`,
];

const DATE_ALTERNATIVES = [
  `(?:(?:${DAYS}),\\s\\d{1,2}\\s(?:${MONTHS})\\s\\d{2,4}\\s\\d{1,2}:\\d{1,2}(?::\\d{1,2})?\\s(?:[-+]\\d{2}[0-5]\\d|${ZONES}))`,
  `(?:(?:(?:${DAYS})\\s)?(?:${MONTHS})\\s[0-3]\\d,\\s\\d{2,4})`,
  `(?:(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday),\\s\\d{2}-(?:${MONTHS})-\\d{2}\\s\\d{2}:\\d{2}:\\d{2}\\s${ZONES})`,
  `(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?(?:[+-]?\\d{2}:\\d{2})?)`,
  `(?:\\d{4}-?[01]\\d-?[0-3]\\d\\s[0-2]\\d:[0-5]\\d:[0-5]\\d)(?:\\.\\d+)?`,
  `(?:\\d{1,2}:\\d{2}(?::\\d{2})?(?: [aApP][Mm])?)`,
  `(?:\\d{4}-[01]\\d-[0-3]\\d)`,
  `(?:[0-2]\\d:[0-5]\\d:[0-5]\\d)`,
  `(?:\\b(?:(?:${DAYS})\\s+)?(?:${MONTHS})\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}\\s+\\d{4})`,
  `(?:\\b(?:(?:${DAYS}),\\s+)?(?:0[1-9]|[1-2]?\\d|3[01])\\s+(?:${MONTHS})\\s+(?:19\\d{2}|[2-9]\\d{3})\\s+(?:2[0-3]|[0-1]\\d):[0-5]\\d(?::(?:60|[0-5]\\d))?\\s+(?:[-+]\\d{2}[0-5]\\d|${ZONES}))`,
  `(?:datetime\\.datetime\\(.*?\\))`,
];

/** Placeholder name and pattern, in Sentry's order of precedence. */
const PARAMETER_PATTERNS: [string, string][] = [
  ['email', "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*"],
  ['url', '\\b(?:wss?|https?|ftp)://[^\\s/$.?#].[^\\s]*'],
  ['hostname', `\\b(?:[a-zA-Z0-9-]{1,63}\\.)+?(?:${TLDS.toUpperCase()}|${TLDS})\\b`],
  ['ip', `${IPV6_ALTERNATIVES.join('|')}|\\b${IPV4}\\b`],
  ['uuid', '\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b'],
  ['sha1', '\\b[0-9a-fA-F]{40}\\b'],
  ['md5', '\\b[0-9a-fA-F]{32}\\b'],
  ['date', DATE_ALTERNATIVES.join('|')],
  ['duration', '\\b\\d+ms|\\d+(?:\\.\\d+)?s\\b'],
  ['hex', '\\b0[xX][0-9a-fA-F]+\\b'],
  ['float', '-\\d+\\.\\d+\\b|\\b\\d+\\.\\d+\\b'],
  ['int', '-\\d+\\b|\\b\\d+\\b'],
  ['quoted_str', `(?<==)(?:'[^']+'|"[^"]+")`],
  ['bool', '(?<==)(?:True|true|False|false)'],
];

const PARAMETER_REGEX = new RegExp(
  PARAMETER_PATTERNS.map(([name, pattern]) => `(?<${name}>${pattern})`).join('|'),
  'g',
);

/** Replaces each parameter-like value with `<kind>`. */
export function parameterize(text: string): string {
  return text.replace(PARAMETER_REGEX, (...args: unknown[]) => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    const name = PARAMETER_PATTERNS.find(([key]) => groups[key] !== undefined)?.[0];
    return name === undefined ? '' : `<${name}>`;
  });
}

/**
 * Sentry's `normalize_message_for_grouping`: keeps the first two non-empty lines (adding `...`
 * when that changed the text) and parameterizes the result.
 */
export function normalizeMessageForGrouping(message: string): string {
  const lines = message.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  let trimmed = lines.slice(0, 2).join('\n');

  if (trimmed !== message) {
    trimmed += '...';
  }

  return parameterize(trimmed);
}
