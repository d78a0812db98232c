/** One row of the advanced-rule editor, as Sentry's settings page shows a rule. */
export interface AdvancedRule {
  type: string;
  method: 'replace' | 'mask' | 'hash' | 'remove';
  selector: string;
  /** Replacement text of the `replace` method. */
  text: string;
  /** The regular expression of a `pattern` rule. */
  pattern: string;
}

export const RULE_TYPES: { value: string; label: string }[] = [
  { value: 'pattern', label: 'Regex matches' },
  { value: 'creditcard', label: 'Credit card numbers' },
  { value: 'password', label: 'Password fields' },
  { value: 'ip', label: 'IP addresses' },
  { value: 'imei', label: 'IMEI numbers' },
  { value: 'email', label: 'E-mail addresses' },
  { value: 'uuid', label: 'UUIDs' },
  { value: 'pemkey', label: 'PEM keys' },
  { value: 'urlauth', label: 'Auth in URLs' },
  { value: 'usssn', label: 'US social security numbers' },
  { value: 'userpath', label: 'Usernames in file paths' },
  { value: 'mac', label: 'MAC addresses' },
  { value: 'iban', label: 'IBANs' },
  { value: 'bearer', label: 'Bearer tokens' },
  { value: 'anything', label: 'Anything' },
];

export const METHODS: { value: AdvancedRule['method']; label: string }[] = [
  { value: 'replace', label: 'Replace' },
  { value: 'mask', label: 'Mask' },
  { value: 'hash', label: 'Hash' },
  { value: 'remove', label: 'Remove' },
];

export const EMPTY_RULE: AdvancedRule = {
  type: 'password',
  method: 'replace',
  selector: '$string',
  text: '[Filtered]',
  pattern: '',
};

/** Builds Relay's PII config JSON from editor rows; rule ids are their positions. */
export function rulesToPiiConfig(rules: AdvancedRule[]): string | null {
  if (rules.length === 0) {
    return null;
  }
  const config: {
    rules: Record<string, Record<string, unknown>>;
    applications: Record<string, string[]>;
  } = { rules: {}, applications: {} };
  rules.forEach((rule, index) => {
    const id = String(index);
    const redaction =
      rule.method === 'replace' ? { method: 'replace', text: rule.text } : { method: rule.method };
    config.rules[id] =
      rule.type === 'pattern'
        ? { type: 'pattern', pattern: rule.pattern, redaction }
        : { type: rule.type, redaction };
    (config.applications[rule.selector] ??= []).push(id);
  });
  return JSON.stringify(config);
}

/**
 * Reads editor rows back from stored JSON. Returns undefined for a config the editor cannot
 * show (rule types or shapes it has no fields for), which the page then offers as raw JSON.
 */
export function piiConfigToRules(text: string | null): AdvancedRule[] | undefined {
  if (text === null || text.trim() === '') {
    return [];
  }
  try {
    const config = JSON.parse(text) as {
      rules?: Record<
        string,
        { type?: string; pattern?: string; redaction?: { method?: string; text?: string } }
      >;
      applications?: Record<string, string[]>;
    };
    const rows: AdvancedRule[] = [];
    for (const [selector, ids] of Object.entries(config.applications ?? {})) {
      for (const id of ids) {
        const rule = config.rules?.[id];
        const method = rule?.redaction?.method;
        if (
          rule?.type === undefined ||
          !RULE_TYPES.some((type) => type.value === rule.type) ||
          !METHODS.some((candidate) => candidate.value === method)
        ) {
          return undefined;
        }
        rows.push({
          type: rule.type,
          method: method as AdvancedRule['method'],
          selector,
          text: rule.redaction?.text ?? '[Filtered]',
          pattern: rule.pattern ?? '',
        });
      }
    }
    return rows;
  } catch {
    return undefined;
  }
}
