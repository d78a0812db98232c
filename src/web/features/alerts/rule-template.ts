import type { RuleCatalogEntry, RuleFieldSpec, RuleNode } from '../../../shared/api/alerts';

/** A piece of a catalog label: literal text, or the place of one field's input. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: string };

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names shown for fields that have no text around them to explain them. */
const FIELD_NAMES: Record<string, string> = {
  value: 'Value',
  interval: 'Interval',
  match: 'Match',
  level: 'Level',
  key: 'Key',
  attribute: 'Attribute',
  comparison_type: 'Comparison',
  time: 'Time unit',
  targetType: 'Send to',
  targetIdentifier: 'Target',
  fallthroughType: 'Fallthrough',
  url: 'URL',
};

/**
 * Splits a label template such as "The issue is seen more than {value} times in {interval}" into
 * text and field parts, in order. Braces that do not enclose a field name stay text.
 */
export function parseLabelTemplate(label: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let position = 0;

  for (const match of label.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (match.index > position) {
      parts.push({ kind: 'text', text: label.slice(position, match.index) });
    }
    parts.push({ kind: 'field', name });
    position = match.index + match[0].length;
  }

  if (position < label.length) {
    parts.push({ kind: 'text', text: label.slice(position) });
  }
  return parts;
}

/** Lists the fields of an entry that its label has no place for, such as an e-mail's fallthrough. */
export function fieldsOutsideLabel(entry: RuleCatalogEntry): string[] {
  const placed = new Set(
    parseLabelTemplate(entry.label).flatMap((part) => (part.kind === 'field' ? [part.name] : [])),
  );
  return Object.keys(entry.fields).filter((name) => !placed.has(name));
}

export function fieldDisplayName(name: string): string {
  return FIELD_NAMES[name] ?? name.replace(/[_.]/g, ' ');
}

/**
 * Formats a field's value for reading: a choice's label, a number or text as it is, and "…"
 * for an empty value.
 */
export function formatFieldValue(spec: RuleFieldSpec | undefined, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return '…';
  }

  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (spec?.type === 'choice') {
    return spec.choices.find(([choice]) => choice === text)?.[1] ?? text;
  }
  return text;
}

/** Fills an entry's label template with the node's values, as "… seen more than 100 times in one hour". */
export function fillLabelTemplate(entry: RuleCatalogEntry, node: RuleNode): string {
  return parseLabelTemplate(entry.label)
    .map((part) =>
      part.kind === 'text' ? part.text : formatFieldValue(entry.fields[part.name], node[part.name]),
    )
    .join('');
}

export function findCatalogEntry(
  entries: readonly RuleCatalogEntry[],
  id: string,
): RuleCatalogEntry | undefined {
  return entries.find((entry) => entry.id === id);
}
