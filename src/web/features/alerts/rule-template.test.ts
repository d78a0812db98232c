import { describe, expect, it } from 'vitest';

import {
  CONDITION_IDS,
  FILTER_IDS,
  RULE_CATALOG,
  type RuleCatalogEntry,
} from '../../../shared/api/alerts';
import {
  fieldsOutsideLabel,
  fillLabelTemplate,
  findCatalogEntry,
  formatFieldValue,
  parseLabelTemplate,
} from './rule-template';

function entryOf(entries: readonly RuleCatalogEntry[], id: string): RuleCatalogEntry {
  const entry = findCatalogEntry(entries, id);
  if (entry === undefined) {
    throw new Error(`catalog entry ${id} not found`);
  }
  return entry;
}

describe('parseLabelTemplate', () => {
  it('splits text and fields in order', () => {
    expect(parseLabelTemplate('The issue is seen more than {value} times in {interval}')).toEqual([
      { kind: 'text', text: 'The issue is seen more than ' },
      { kind: 'field', name: 'value' },
      { kind: 'text', text: ' times in ' },
      { kind: 'field', name: 'interval' },
    ]);
  });

  it('keeps a label without fields as one text', () => {
    expect(parseLabelTemplate('A new issue is created')).toEqual([
      { kind: 'text', text: 'A new issue is created' },
    ]);
  });

  it('reads adjacent fields and names with underscores', () => {
    expect(parseLabelTemplate('{comparison_type}{value}')).toEqual([
      { kind: 'field', name: 'comparison_type' },
      { kind: 'field', name: 'value' },
    ]);
  });

  it('leaves braces without a field name as text', () => {
    expect(parseLabelTemplate('a {} b { c }')).toEqual([{ kind: 'text', text: 'a {} b { c }' }]);
  });
});

describe('fillLabelTemplate', () => {
  it('fills numbers and choice labels', () => {
    const entry = entryOf(RULE_CATALOG.conditions, CONDITION_IDS.frequency);

    const text = fillLabelTemplate(entry, { id: entry.id, value: 100, interval: '1h' });

    expect(text).toBe('The issue is seen more than 100 times in one hour');
  });

  it('shows the level filter with words', () => {
    const entry = entryOf(RULE_CATALOG.filters, FILTER_IDS.level);

    const text = fillLabelTemplate(entry, { id: entry.id, match: 'gte', level: '40' });

    expect(text).toBe("The event's level is greater than or equal to error");
  });

  it('marks missing values with an ellipsis', () => {
    const entry = entryOf(RULE_CATALOG.filters, FILTER_IDS.tagged);

    const text = fillLabelTemplate(entry, { id: entry.id, key: 'browser', match: 'is' });

    expect(text).toBe("The event's tags match browser is set …");
  });
});

describe('formatFieldValue', () => {
  it('shows an unknown choice as its value', () => {
    expect(formatFieldValue({ type: 'choice', choices: [['a', 'A']] }, 'zz')).toBe('zz');
  });

  it('shows a number as text', () => {
    expect(formatFieldValue({ type: 'number' }, 5)).toBe('5');
  });
});

describe('fieldsOutsideLabel', () => {
  it('lists the e-mail fields the label has no place for', () => {
    const entry = RULE_CATALOG.actions[0];

    expect(entry === undefined ? [] : fieldsOutsideLabel(entry)).toEqual([
      'targetIdentifier',
      'fallthroughType',
    ]);
  });
});
