import { describe, expect, it } from 'vitest';

import { ACTION_IDS, CONDITION_IDS, FILTER_IDS } from '../../../shared/api/alerts.js';
import { ValidationError } from '../../platform/errors.js';
import { OutboundAllowList } from '../../platform/outbound/allow-list.js';
import { parsePreviewInput, parseRuleInput } from './rule-validation.js';

const BASE = {
  name: 'Rule',
  actionMatch: 'all',
  frequency: 30,
  conditions: [{ id: CONDITION_IDS.firstSeen }],
  actions: [{ id: ACTION_IDS.webhook, url: 'https://example.com/hook' }],
};

const TARGETS = { teamIds: new Set([7]), userIds: new Set([3]) };

function fieldsOf(body: unknown): Record<string, string[]> {
  try {
    parseRuleInput(body, TARGETS);
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.fields;
    }
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parseRuleInput', () => {
  it('accepts a rule and fills in the defaults', () => {
    expect(parseRuleInput(BASE, TARGETS)).toMatchObject({
      name: 'Rule',
      environment: null,
      filterMatch: 'all',
      filters: [],
      status: 'active',
      owner: null,
    });
  });

  it('names unknown ids', () => {
    expect(fieldsOf({ ...BASE, conditions: [{ id: 'nope.Condition' }] })).toEqual({
      conditions: ['Unknown ids: "nope.Condition".'],
    });
    expect(fieldsOf({ ...BASE, filters: [{ id: 'x' }] })).toHaveProperty('filters');
    expect(fieldsOf({ ...BASE, actions: [{ id: 'y' }] })).toHaveProperty('actions');
  });

  it('checks fields by type, choice and range, and reads numbers sent as text', () => {
    const fields = fieldsOf({
      ...BASE,
      conditions: [{ id: CONDITION_IDS.frequency, value: 0, interval: '2h' }],
      filters: [{ id: FILTER_IDS.level, match: 'gt', level: '40' }],
    });
    expect(Object.keys(fields).sort()).toEqual([
      'conditions.0.interval',
      'conditions.0.value',
      'filters.0.match',
    ]);
    const parsed = parseRuleInput(
      { ...BASE, conditions: [{ id: CONDITION_IDS.frequency, value: '10', interval: '1h' }] },
      TARGETS,
    );
    expect(parsed.conditions).toEqual([{ id: CONDITION_IDS.frequency, value: 10, interval: '1h' }]);
  });

  it('requires a condition, an action, a name and an interval in range', () => {
    expect(fieldsOf({ ...BASE, conditions: [] })).toHaveProperty('conditions');
    expect(fieldsOf({ ...BASE, actions: [] })).toHaveProperty('actions');
    expect(fieldsOf({ ...BASE, name: ' ' })).toHaveProperty('name');
    expect(fieldsOf({ ...BASE, name: 'x'.repeat(257) })).toHaveProperty('name');
    expect(fieldsOf({ ...BASE, frequency: 4 })).toHaveProperty('frequency');
    expect(fieldsOf({ ...BASE, frequency: 43_201 })).toHaveProperty('frequency');
    expect(parseRuleInput({ ...BASE, frequency: 7 }, TARGETS).frequency).toBe(7);
  });

  it('words missing parts for people', () => {
    expect(fieldsOf({ ...BASE, conditions: [] }).conditions).toEqual([
      'Add at least one condition.',
    ]);
    expect(fieldsOf({ ...BASE, actions: [] }).actions).toEqual(['Add at least one action.']);
    expect(fieldsOf({ ...BASE, name: ' ' }).name).toEqual(['Enter a name.']);
    expect(fieldsOf({ ...BASE, frequency: 4 }).frequency).toEqual(['Expected 5 to 43200 minutes.']);
  });

  it.each([
    'ftp://example.com/x',
    'javascript:alert(1)',
    'not a url',
    '',
    'https://user:pw@hooks.example.com/x',
    'https://user@hooks.example.com/x',
  ])('rejects the URL %j', (url) => {
    for (const id of [ACTION_IDS.webhook, ACTION_IDS.slack, ACTION_IDS.discord, ACTION_IDS.teams]) {
      expect(fieldsOf({ ...BASE, actions: [{ id, url }] })).toHaveProperty(['actions.0.url']);
    }
  });

  it('checks e-mail targets against the organization', () => {
    const email = (targetType: string, targetIdentifier?: string) => ({
      ...BASE,
      actions: [{ id: ACTION_IDS.email, targetType, targetIdentifier }],
    });
    expect(parseRuleInput(email('Team', '7'), TARGETS).actions[0]).toMatchObject({
      targetType: 'Team',
      targetIdentifier: '7',
    });
    expect(parseRuleInput(email('Member', '3'), TARGETS).actions).toHaveLength(1);
    expect(fieldsOf(email('Team', '8'))).toHaveProperty(['actions.0.targetIdentifier']);
    expect(fieldsOf(email('Member', '4'))).toHaveProperty(['actions.0.targetIdentifier']);
    expect(fieldsOf(email('Member'))).toHaveProperty(['actions.0.targetIdentifier']);
    expect(fieldsOf(email('Nobody'))).toHaveProperty(['actions.0.targetType']);
    expect(parseRuleInput(email('IssueOwners', '99'), TARGETS).actions[0]).toEqual({
      id: ACTION_IDS.email,
      targetType: 'IssueOwners',
      fallthroughType: 'ActiveMembers',
    });
  });

  it('keeps a webhook secret of a sensible length and drops unknown fields', () => {
    const parsed = parseRuleInput(
      { ...BASE, actions: [{ ...BASE.actions[0], secret: 's'.repeat(20), extra: 1 }] },
      TARGETS,
    );
    expect(parsed.actions[0]).toEqual({
      id: ACTION_IDS.webhook,
      url: 'https://example.com/hook',
      secret: 's'.repeat(20),
    });
    expect(
      fieldsOf({ ...BASE, actions: [{ ...BASE.actions[0], secret: 'short' }] }),
    ).toHaveProperty(['actions.0.secret']);
  });

  it('refuses private addresses written into hook URLs', () => {
    const hook = (url: string) => ({ ...BASE, actions: [{ id: ACTION_IDS.slack, url }] });
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/',
      'http://localhost:9000/hook',
      'http://api.localhost/hook',
    ]) {
      expect(fieldsOf(hook(url))['actions.0.url']?.[0], url).toMatch(
        /^Picket does not send to .+; allow it with PICKET_OUTBOUND_ALLOW\.$/,
      );
    }
    expect(parseRuleInput(hook('https://hooks.example.com/x'), TARGETS).actions).toHaveLength(1);
  });

  it('accepts private addresses that PICKET_OUTBOUND_ALLOW lists', () => {
    const hook = (url: string) => ({ ...BASE, actions: [{ id: ACTION_IDS.webhook, url }] });
    const targets = {
      ...TARGETS,
      outboundAllow: new OutboundAllowList(['127.0.0.1', '10.0.0.0/8', 'localhost']),
    };
    for (const url of ['http://127.0.0.1:8080/h', 'http://10.9.9.9/h', 'http://localhost/h']) {
      expect(parseRuleInput(hook(url), targets).actions, url).toHaveLength(1);
    }
    expect(() => parseRuleInput(hook('http://192.168.1.1/h'), targets)).toThrow(ValidationError);
  });
});

describe('parsePreviewInput', () => {
  it('takes the logic of a rule without name or actions', () => {
    expect(
      parsePreviewInput({ actionMatch: 'any', conditions: [{ id: CONDITION_IDS.regression }] }),
    ).toEqual({
      environment: null,
      actionMatch: 'any',
      filterMatch: 'all',
      conditions: [{ id: CONDITION_IDS.regression }],
      filters: [],
    });
  });
});
