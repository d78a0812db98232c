import { describe, expect, it } from 'vitest';

import { ACTION_IDS, CONDITION_IDS, FILTER_IDS, RULE_CATALOG } from '../../../shared/api/alerts';
import { describeFrequency, describeNode, summarizeNodes, summarizeRule } from './rule-summary';

describe('describeFrequency', () => {
  it('names the editor choices', () => {
    expect(describeFrequency(60)).toBe('1 hour');
    expect(describeFrequency(43_200)).toBe('30 days');
  });

  it('counts other values in minutes', () => {
    expect(describeFrequency(7)).toBe('7 minutes');
  });
});

describe('describeNode', () => {
  it('names the team of an e-mail action', () => {
    const text = describeNode(
      RULE_CATALOG.actions,
      { id: ACTION_IDS.email, targetType: 'Team', targetIdentifier: '3', fallthroughType: 'NoOne' },
      { teams: new Map([['3', 'backend']]) },
    );

    expect(text).toBe('Send a notification to a team (#backend)');
  });

  it('falls back to the user id of an unknown member', () => {
    const text = describeNode(RULE_CATALOG.actions, {
      id: ACTION_IDS.email,
      targetType: 'Member',
      targetIdentifier: 9,
    });

    expect(text).toBe('Send a notification to a member (user 9)');
  });

  it('shows an unknown id as it is', () => {
    expect(describeNode(RULE_CATALOG.conditions, { id: 'x.Unknown' })).toBe('x.Unknown');
  });
});

describe('summarizeNodes', () => {
  it('says None for no nodes', () => {
    expect(summarizeNodes(RULE_CATALOG.filters, [])).toBe('None');
  });

  it('counts the nodes past the shown ones', () => {
    const text = summarizeNodes(
      RULE_CATALOG.conditions,
      [
        { id: CONDITION_IDS.firstSeen },
        { id: CONDITION_IDS.regression },
        { id: CONDITION_IDS.releaseFirstEvent },
      ],
      {},
      1,
    );

    expect(text).toBe('A new issue is created; and 2 more');
  });
});

describe('summarizeRule', () => {
  const rule = {
    environment: 'production',
    actionMatch: 'any' as const,
    filterMatch: 'all' as const,
    frequency: 30,
    conditions: [{ id: CONDITION_IDS.firstSeen }],
    filters: [{ id: FILTER_IDS.level, match: 'eq', level: '50' }],
    actions: [{ id: ACTION_IDS.webhook, url: 'https://example.com/hook' }],
  };

  it('describes every part in words', () => {
    expect(summarizeRule(rule)).toEqual({
      when: 'When any of these conditions are met:',
      conditions: ['A new issue is created'],
      filtersIntro: 'If all of these filters match:',
      filters: ["The event's level is equal to fatal"],
      actions: ['Send a signed webhook to https://example.com/hook'],
      interval: 'Perform the actions at most once every 30 minutes for each issue.',
      environment: 'Events of the production environment only',
    });
  });

  it('leaves out the filter intro without filters', () => {
    expect(summarizeRule({ ...rule, filters: [] }).filtersIntro).toBeNull();
  });
});
