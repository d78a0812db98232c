/**
 * The value patterns of the built-in PII rules, written for JavaScript's regex engine after the
 * patterns in Relay's `relay-pii/src/regexes.rs` (getsentry/relay, 2025). Each pattern has the
 * `g` and `d` flags: the scrubber walks every match and needs the offsets of capture groups.
 *
 * Every built-in pattern runs in time linear in the input on V8, or has a cheap pre-check
 * (`mayMatch`) that skips strings which cannot contain a match, so that a long string without
 * the trigger character costs one `includes` call.
 */

/** The built-in rule types that match values by a pattern. */
export type PatternRuleType =
  | 'imei'
  | 'mac'
  | 'uuid'
  | 'email'
  | 'iban'
  | 'ip'
  | 'creditcard'
  | 'userpath'
  | 'pemkey'
  | 'urlauth'
  | 'usssn'
  | 'bearer';

/** Part of a value that a pattern match replaces: the whole string value, or the listed capture groups. */
export type ReplaceBehavior = { kind: 'value' } | { kind: 'groups'; groups: readonly number[] };

export const REPLACE_MATCH: ReplaceBehavior = { kind: 'groups', groups: [0] };
export const REPLACE_VALUE: ReplaceBehavior = { kind: 'value' };

/** A pattern with the part of each match it replaces and an optional match filter. */
export interface ValuePattern {
  regex: RegExp;
  replace: ReplaceBehavior;
  /** Returns false for strings that cannot match, so the regex need not run. */
  mayMatch?: (value: string) => boolean;
  /** Returns false for a match that the regex accepts but that is not the data type. */
  accept?: (match: RegExpExecArray) => boolean;
}

const IPV4_SEGMENT = '(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)';
const IPV4 = `${IPV4_SEGMENT}\\.${IPV4_SEGMENT}\\.${IPV4_SEGMENT}\\.${IPV4_SEGMENT}`;
const IPV6_SEGMENT = '[0-9a-fA-F]{1,4}';
// The ASCII punctuation characters, which POSIX names `[:punct:]`.
const PUNCTUATION = '!-\\/:-@\\[-`{-~';

const IPV6_FORMS = [
  `(?:${IPV6_SEGMENT}:){7}${IPV6_SEGMENT}`,
  `(?:${IPV6_SEGMENT}:){1,7}:`,
  `(?:${IPV6_SEGMENT}:){1,6}:${IPV6_SEGMENT}`,
  `(?:${IPV6_SEGMENT}:){1,5}(?::${IPV6_SEGMENT}){1,2}`,
  `(?:${IPV6_SEGMENT}:){1,4}(?::${IPV6_SEGMENT}){1,3}`,
  `(?:${IPV6_SEGMENT}:){1,3}(?::${IPV6_SEGMENT}){1,4}`,
  `(?:${IPV6_SEGMENT}:){1,2}(?::${IPV6_SEGMENT}){1,5}`,
  `${IPV6_SEGMENT}:(?::${IPV6_SEGMENT}){1,6}`,
  `:(?:(?::${IPV6_SEGMENT}){1,7}|:)`,
  `fe80:(?::${IPV6_SEGMENT}){0,4}%[0-9a-zA-Z]+`,
  `::(?:ffff(?::0{1,4})?:)?${IPV4}`,
  `(?:${IPV6_SEGMENT}:){1,4}:${IPV4}`,
];

const IBAN_COUNTRIES =
  'AT|AD|AE|AL|AZ|BA|BE|BG|BH|BR|BY|CH|CR|CY|CZ|DE|DK|DO|EE|EG|ES|FI|FO|FR|GB|GE|GI|GL|GR|GT|' +
  'HR|HU|IE|IL|IQ|IS|IT|JO|KW|KZ|LB|LC|LI|LT|LU|LV|LY|MC|MD|ME|MK|MR|MT|MU|NL|NO|PK|PL|PS|PT|' +
  'QA|RO|RU|RS|SA|SC|SE|SI|SK|SM|ST|SV|TL|TN|TR|UA|VA|VG|XK|DZ|AO|BJ|BF|BI|CV|CM|CF|TD|KM|CG|' +
  'CI|DJ|GQ|GA|GW|HN|IR|MG|ML|MA|MZ|NI|NE|SN|TG';

const hasDigit = (value: string): boolean => /\d/.test(value);

/**
 * Returns whether the digits of `text` pass the Luhn checksum that every payment card number
 * carries, ignoring spaces and dashes.
 */
export function passesLuhn(text: string): boolean {
  const digits = text.replace(/[^0-9]/g, '');
  let sum = 0;
  let double = false;

  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
    double = !double;
  }

  return digits.length > 0 && sum % 10 === 0;
}

/** Patterns of the built-in value rules, keyed by rule type. */
export const VALUE_PATTERNS: Readonly<Record<PatternRuleType, readonly ValuePattern[]>> = {
  imei: [
    {
      regex: /\b(\d{2}-?\d{6}-?\d{6}-?\d{1,2})\b/dg,
      replace: REPLACE_MATCH,
      mayMatch: hasDigit,
    },
  ],
  mac: [
    {
      regex: /\b(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}\b/dg,
      replace: REPLACE_MATCH,
      mayMatch: (value) => value.includes(':') || value.includes('-'),
    },
  ],
  uuid: [
    {
      regex: /\b[a-z0-9]{8}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{12}\b/dgi,
      replace: REPLACE_MATCH,
    },
  ],
  email: [
    {
      regex:
        /\b[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}\b/dg,
      replace: REPLACE_MATCH,
      mayMatch: (value) => value.includes('@'),
    },
  ],
  iban: [
    {
      regex: new RegExp(`\\b(?:${IBAN_COUNTRIES})\\d{2}[a-zA-Z0-9]{11,29}\\b`, 'dg'),
      replace: REPLACE_MATCH,
      mayMatch: hasDigit,
    },
  ],
  ip: [
    {
      regex: new RegExp(`\\b${IPV4}\\b`, 'dg'),
      replace: REPLACE_MATCH,
      mayMatch: (value) => value.includes('.'),
    },
    {
      regex: new RegExp(
        `(?:\\s|[${PUNCTUATION}]|^)(${IPV6_FORMS.join('|')})(?=\\s|[${PUNCTUATION}]|$)`,
        'dgi',
      ),
      replace: { kind: 'groups', groups: [1] },
      mayMatch: (value) => value.includes(':'),
    },
  ],
  creditcard: [
    {
      regex: /\b((?:3[47]\d|4\d{3}|5[1-5]\d\d|65\d\d|6011)(?:[-\s]?\d){12})\b/dg,
      replace: REPLACE_MATCH,
      mayMatch: hasDigit,
      // Relay does not check the Luhn sum, so it also filters numbers with a wrong check digit.
      accept: (match) => passesLuhn(match[0]),
    },
  ],
  userpath: [
    {
      regex:
        /(?:(?:\b(?:[a-zA-Z]:[\\/])?(?:users|home|documents and settings|[^/\\\s]+[/\\]profiles)[\\/])|(?:\/(?:home|users)\/))([^/\\\r\n\0]+)/dgi,
      replace: { kind: 'groups', groups: [1] },
      mayMatch: (value) => /users|home|documents and settings|profiles/i.test(value),
    },
  ],
  pemkey: [
    {
      regex:
        /-----BEGIN[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----[\t ]*\r?\n?([\s\S]+?)\r?\n?-----END[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----/dg,
      replace: { kind: 'groups', groups: [1] },
      mayMatch: (value) => value.includes('-----BEGIN'),
    },
  ],
  urlauth: [
    {
      regex: /\b(?:(?:[a-z0-9+-]+:)?\/\/([a-zA-Z0-9%_.-]+(?::[a-zA-Z0-9%_.-]+)?))@/dg,
      replace: { kind: 'groups', groups: [1] },
      mayMatch: (value) => value.includes('@'),
    },
  ],
  usssn: [
    {
      regex: /\b([0-9]{3}-[0-9]{2}-[0-9]{4})\b/dg,
      replace: REPLACE_MATCH,
      mayMatch: (value) => value.includes('-'),
    },
  ],
  bearer: [
    {
      regex: /\b(Bearer\s+)(\S+)/dgi,
      replace: REPLACE_MATCH,
      mayMatch: (value) => /bearer/i.test(value),
    },
  ],
};

/**
 * The legacy `@urlauth:legacy` pattern of Sentry's old scrubber: only the password of
 * `scheme://user:password@` is replaced, the user name stays.
 */
export const URL_PASSWORD_PATTERN: ValuePattern = {
  regex: /\b((?:[a-z0-9]+:)?\/\/[a-zA-Z0-9%_.-]+:)([a-zA-Z0-9%_.-]+)@/dg,
  replace: { kind: 'groups', groups: [2] },
  mayMatch: (value) => value.includes('@'),
};

/** Relay's `PASSWORD_KEY_REGEX`: matched against keys, and against string values. */
export const PASSWORD_KEY_PATTERN =
  /(password|secret|passwd|api[-_]key|apikey|auth|credentials|mysql_pwd|privatekey|private[-_]key|token\S*[:=]|^otp$|^two[-_]factor$)/i;

/** Relay's `TOKEN_KEY_REGEX`: matched against keys only. */
export const TOKEN_KEY_PATTERN = /token/i;

/** The pattern of `@anything`: the whole value. */
export const ANYTHING_PATTERN: ValuePattern = { regex: /[\s\S]*/dg, replace: REPLACE_VALUE };
