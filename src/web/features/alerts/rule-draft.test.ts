import { describe, expect, it } from 'vitest';

import {
  ACTION_IDS,
  CONDITION_IDS,
  FILTER_IDS,
  RULE_CATALOG,
  type AlertRule,
} from '../../../shared/api/alerts';
import {
  createNode,
  draftFromRule,
  draftToInput,
  draftToPreviewInput,
  newRuleDraft,
  normalizeNode,
} from './rule-draft';
import { findCatalogEntry } from './rule-template';

const frequencyEntry = findCatalogEntry(RULE_CATALOG.conditions, CONDITION_IDS.frequency);
const emailEntry = findCatalogEntry(RULE_CATALOG.actions, ACTION_IDS.email);
const taggedEntry = findCatalogEntry(RULE_CATALOG.filters, FILTER_IDS.tagged);
const levelEntry = findCatalogEntry(RULE_CATALOG.filters, FILTER_IDS.level);

describe('createNode', () => {
  it('starts number fields at their placeholder and choices at the first one', () => {
    expect(frequencyEntry === undefined ? null : createNode(frequencyEntry)).toEqual({
      id: CONDITION_IDS.frequency,
      value: '100',
      interval: '1m',
    });
  });

  it('starts text fields empty', () => {
    expect(taggedEntry === undefined ? null : createNode(taggedEntry)).toEqual({
      id: FILTER_IDS.tagged,
      key: '',
      match: 'eq',
      value: '',
    });
  });

  it('starts the level filter at error or worse', () => {
    expect(levelEntry === undefined ? null : createNode(levelEntry)).toEqual({
      id: FILTER_IDS.level,
      match: 'gte',
      level: '40',
    });
  });
});

describe('normalizeNode', () => {
  it('turns number input text into numbers', () => {
    const node = normalizeNode(
      { id: CONDITION_IDS.frequency, value: ' 250 ', interval: '1h' },
      frequencyEntry,
    );

    expect(node.value).toBe(250);
  });

  it('keeps text that is not a number for the server to reject', () => {
    const node = normalizeNode({ id: CONDITION_IDS.frequency, value: 'many' }, frequencyEntry);

    expect(node.value).toBe('many');
  });

  it('drops empty optional text', () => {
    const node = normalizeNode(
      { id: FILTER_IDS.tagged, key: ' browser ', match: 'is', value: '' },
      taggedEntry,
    );

    expect(node).toEqual({ id: FILTER_IDS.tagged, key: 'browser', match: 'is' });
  });

  it('drops the target of an e-mail to the assignee', () => {
    const node = normalizeNode(
      {
        id: ACTION_IDS.email,
        targetType: 'IssueOwners',
        targetIdentifier: '7',
        fallthroughType: 'ActiveMembers',
      },
      emailEntry,
    );

    expect(node).toEqual({
      id: ACTION_IDS.email,
      targetType: 'IssueOwners',
      fallthroughType: 'ActiveMembers',
    });
  });

  it('sends a numeric member id as text', () => {
    const node = normalizeNode(
      {
        id: ACTION_IDS.email,
        targetType: 'Member',
        targetIdentifier: 12,
        fallthroughType: 'NoOne',
      },
      emailEntry,
    );

    expect(node.targetIdentifier).toBe('12');
  });

  it('keeps fields outside the catalog, such as a webhook secret', () => {
    const node = normalizeNode(
      { id: ACTION_IDS.webhook, url: ' https://example.com/hook ', secret: 's3cret' },
      findCatalogEntry(RULE_CATALOG.actions, ACTION_IDS.webhook),
    );

    expect(node).toEqual({
      id: ACTION_IDS.webhook,
      url: 'https://example.com/hook',
      secret: 's3cret',
    });
  });
});

describe('draftToInput', () => {
  it('builds the API body of a new rule', () => {
    const draft = {
      ...newRuleDraft('web'),
      name: '  New errors ',
      frequency: 60,
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [{ id: FILTER_IDS.level, match: 'gte', level: '40' }],
      actions: [{ id: ACTION_IDS.webhook, url: 'https://example.com/hook' }],
    };

    expect(draftToInput(draft)).toEqual({
      name: 'New errors',
      environment: null,
      actionMatch: 'all',
      filterMatch: 'all',
      frequency: 60,
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [{ id: FILTER_IDS.level, match: 'gte', level: '40' }],
      actions: [{ id: ACTION_IDS.webhook, url: 'https://example.com/hook' }],
      status: 'active',
    });
  });

  it('sends the chosen environment', () => {
    const input = draftToInput({ ...newRuleDraft('web'), environment: 'production' });

    expect(input.environment).toBe('production');
  });

  it('round-trips a saved rule', () => {
    const rule: AlertRule = {
      id: '4',
      name: 'Busy',
      environment: 'staging',
      actionMatch: 'any',
      filterMatch: 'none',
      frequency: 1_440,
      conditions: [{ id: CONDITION_IDS.frequency, value: 10, interval: '1d' }],
      filters: [],
      actions: [{ id: ACTION_IDS.slack, url: 'https://hooks.example.com/x' }],
      owner: null,
      status: 'disabled',
      projects: ['web'],
      dateCreated: '2024-01-01T00:00:00Z',
      createdBy: null,
      lastTriggered: null,
      snooze: false,
    };

    const draft = draftFromRule(rule);

    expect(draft.projectSlug).toBe('web');
    expect(draftToInput(draft)).toEqual({
      name: 'Busy',
      environment: 'staging',
      actionMatch: 'any',
      filterMatch: 'none',
      frequency: 1_440,
      conditions: rule.conditions,
      filters: [],
      actions: rule.actions,
      status: 'disabled',
    });
  });
});

describe('draftToPreviewInput', () => {
  it('leaves out the name and actions', () => {
    const draft = {
      ...newRuleDraft('web'),
      name: 'Ignored',
      conditions: [{ id: CONDITION_IDS.regression }],
      actions: [{ id: ACTION_IDS.webhook, url: 'https://example.com' }],
    };

    expect(draftToPreviewInput(draft)).toEqual({
      conditions: [{ id: CONDITION_IDS.regression }],
      filters: [],
      actionMatch: 'all',
      filterMatch: 'all',
      frequency: 30,
      environment: null,
    });
  });
});
