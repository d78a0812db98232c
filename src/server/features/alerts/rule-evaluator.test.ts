import { describe, expect, it } from 'vitest';

import { CONDITION_IDS, FILTER_IDS, type RuleNode } from '../../../shared/api/alerts.js';
import {
  attributeValues,
  contextValues,
  evaluateRule,
  filterPasses,
  matchValues,
  type EventView,
  type IssueSignals,
  type IssueView,
  type RuleLogic,
} from './rule-evaluator.js';

const NOW = 1_800_000_000_000;

const EVENT: EventView = {
  level: 'error',
  environment: 'production',
  tags: [
    ['browser', 'Chrome 120'],
    ['feature', 'Checkout'],
  ],
  payload: {
    message: { formatted: 'Payment failed for order 7' },
    platform: 'javascript',
    type: 'error',
    environment: 'production',
    exception: {
      values: [
        {
          type: 'TypeError',
          value: 'x is undefined',
          mechanism: { handled: false },
          stacktrace: { frames: [{ filename: 'app.js', module: 'app', abs_path: '/srv/app.js' }] },
        },
      ],
    },
    user: { id: '42', email: 'ann@example.com', username: 'ann' },
    request: { method: 'POST', url: 'https://shop.example.com/pay' },
    sdk: { name: 'sentry.javascript.node' },
    contexts: { os: { name: 'Linux', version: '6.1' }, runtime: { name: 'node' } },
  },
};

const ISSUE: IssueView = { type: 'error', firstSeen: NOW - 2 * 3_600_000, timesSeen: 12 };

function signals(overrides: Partial<IssueSignals> = {}): IssueSignals {
  return {
    firstSeen: false,
    regression: false,
    escalating: false,
    releaseFirstEvent: false,
    countEvents: () => Promise.resolve(0),
    countUsers: () => Promise.resolve(0),
    ...overrides,
  };
}

function rule(overrides: Partial<RuleLogic>): RuleLogic {
  return {
    environment: null,
    actionMatch: 'all',
    filterMatch: 'all',
    conditions: [{ id: CONDITION_IDS.firstSeen }],
    filters: [],
    ...overrides,
  };
}

const passes = (node: RuleNode, event = EVENT, issue = ISSUE) =>
  filterPasses(node, event, issue, NOW);

describe('matchValues', () => {
  it.each([
    ['eq', 'chrome 120', true],
    ['eq', 'Chrome', false],
    ['ne', 'Firefox', true],
    ['ne', 'CHROME 120', false],
    ['sw', 'chr', true],
    ['nsw', 'chr', false],
    ['ew', '120', true],
    ['new', '120', false],
    ['co', 'ome 1', true],
    ['nc', 'ome 1', false],
    ['is', '', true],
    ['ns', '', false],
    ['zz', 'x', false],
  ])('%s %s -> %s', (match, value, expected) => {
    expect(matchValues(['Chrome 120'], match, value)).toBe(expected);
  });

  it('treats a missing key as not set', () => {
    expect(matchValues([], 'ns', '')).toBe(true);
    expect(matchValues([], 'is', '')).toBe(false);
    expect(matchValues([], 'ne', 'x')).toBe(true);
  });
});

describe('filters', () => {
  it('compares levels numerically', () => {
    const level = (match: string, value: string) => ({ id: FILTER_IDS.level, match, level: value });
    expect(passes(level('gte', '40'))).toBe(true);
    expect(passes(level('gte', '50'))).toBe(false);
    expect(passes(level('lte', '30'))).toBe(false);
    expect(passes(level('eq', '40'))).toBe(true);
    expect(passes(level('gte', '40'), { ...EVENT, level: 'warning' })).toBe(false);
  });

  it('matches tags by key case-insensitively', () => {
    expect(passes({ id: FILTER_IDS.tagged, key: 'Feature', match: 'eq', value: 'checkout' })).toBe(
      true,
    );
    expect(passes({ id: FILTER_IDS.tagged, key: 'missing', match: 'ns' })).toBe(true);
  });

  it.each([
    ['message', 'Payment failed for order 7'],
    ['platform', 'javascript'],
    ['environment', 'production'],
    ['type', 'error'],
    ['exception.type', 'TypeError'],
    ['exception.value', 'x is undefined'],
    ['error.handled', 'false'],
    ['error.unhandled', 'true'],
    ['user.id', '42'],
    ['user.email', 'ann@example.com'],
    ['user.username', 'ann'],
    ['http.method', 'POST'],
    ['http.url', 'https://shop.example.com/pay'],
    ['sdk.name', 'sentry.javascript.node'],
    ['stacktrace.filename', 'app.js'],
    ['stacktrace.module', 'app'],
    ['stacktrace.abs_path', '/srv/app.js'],
  ])('reads the attribute %s', (attribute, value) => {
    expect(attributeValues(EVENT.payload, attribute)).toContain(value);
    expect(passes({ id: FILTER_IDS.attribute, attribute, match: 'eq', value })).toBe(true);
  });

  it('reads contexts by dotted path', () => {
    expect(contextValues(EVENT.payload, 'os.name')).toEqual(['Linux']);
    expect(contextValues(EVENT.payload, 'os.missing')).toEqual([]);
    expect(passes({ id: FILTER_IDS.context, key: 'runtime.name', match: 'sw', value: 'no' })).toBe(
      true,
    );
  });

  it('compares the issue age', () => {
    const age = (comparison: string, value: number, time: string) => ({
      id: FILTER_IDS.age,
      comparison_type: comparison,
      value,
      time,
    });
    expect(passes(age('older', 1, 'hour'))).toBe(true);
    expect(passes(age('older', 3, 'hour'))).toBe(false);
    expect(passes(age('newer', 1, 'day'))).toBe(true);
    expect(passes(age('newer', 30, 'minute'))).toBe(false);
  });

  it('checks the category and the occurrences', () => {
    expect(passes({ id: FILTER_IDS.category, value: '1' })).toBe(true);
    expect(passes({ id: FILTER_IDS.category, value: '6' })).toBe(false);
    expect(
      passes({ id: FILTER_IDS.category, value: '6' }, EVENT, { ...ISSUE, type: 'feedback' }),
    ).toBe(true);
    expect(passes({ id: FILTER_IDS.occurrences, value: 12 })).toBe(true);
    expect(passes({ id: FILTER_IDS.occurrences, value: 13 })).toBe(false);
  });
});

describe('evaluateRule', () => {
  const evaluate = (logic: RuleLogic, issueSignals = signals()) =>
    evaluateRule(logic, EVENT, ISSUE, issueSignals, NOW);

  it.each([
    [CONDITION_IDS.firstSeen, { firstSeen: true }, 'first_seen'],
    [CONDITION_IDS.regression, { regression: true }, 'regression'],
    [CONDITION_IDS.reappeared, { escalating: true }, 'escalating'],
    [CONDITION_IDS.releaseFirstEvent, { releaseFirstEvent: true }, 'release_first_event'],
  ] as const)('fires %s on its signal', async (id, signal, reason) => {
    expect(await evaluate(rule({ conditions: [{ id }] }))).toEqual({ fires: false, reasons: [] });
    expect(await evaluate(rule({ conditions: [{ id }] }), signals(signal))).toEqual({
      fires: true,
      reasons: [reason],
    });
  });

  it('fires frequency conditions when the count is above the value', async () => {
    const asked: number[] = [];
    const counts = signals({
      countEvents: (minutes) => {
        asked.push(minutes);
        return Promise.resolve(3);
      },
      countUsers: () => Promise.resolve(2),
    });
    const frequency = (value: number) =>
      rule({ conditions: [{ id: CONDITION_IDS.frequency, value, interval: '1h' }] });
    expect((await evaluate(frequency(2), counts)).fires).toBe(true);
    expect((await evaluate(frequency(3), counts)).fires).toBe(false);
    expect(asked).toEqual([60, 60]);
    const users = rule({
      conditions: [{ id: CONDITION_IDS.userFrequency, value: 1, interval: '1d' }],
    });
    expect(await evaluate(users, counts)).toEqual({ fires: true, reasons: ['user_frequency'] });
  });

  it('combines conditions with all, any and none', async () => {
    const conditions = [{ id: CONDITION_IDS.firstSeen }, { id: CONDITION_IDS.regression }];
    const onlyFirst = signals({ firstSeen: true });
    expect((await evaluate(rule({ conditions, actionMatch: 'all' }), onlyFirst)).fires).toBe(false);
    expect(await evaluate(rule({ conditions, actionMatch: 'any' }), onlyFirst)).toEqual({
      fires: true,
      reasons: ['first_seen'],
    });
    expect((await evaluate(rule({ conditions, actionMatch: 'none' }), onlyFirst)).fires).toBe(
      false,
    );
    expect(await evaluate(rule({ conditions, actionMatch: 'none' }))).toEqual({
      fires: true,
      reasons: [],
    });
  });

  it('combines filters with all, any and none', async () => {
    const filters = [
      { id: FILTER_IDS.level, match: 'eq', level: '40' },
      { id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'search' },
    ];
    const fired = signals({ firstSeen: true });
    expect((await evaluate(rule({ filters, filterMatch: 'all' }), fired)).fires).toBe(false);
    expect((await evaluate(rule({ filters, filterMatch: 'any' }), fired)).fires).toBe(true);
    expect((await evaluate(rule({ filters, filterMatch: 'none' }), fired)).fires).toBe(false);
    expect(
      (await evaluate(rule({ filters: filters.slice(1), filterMatch: 'none' }), fired)).fires,
    ).toBe(true);
  });

  it("fires only for the rule's environment", async () => {
    const fired = signals({ firstSeen: true });
    expect((await evaluate(rule({ environment: 'production' }), fired)).fires).toBe(true);
    expect((await evaluate(rule({ environment: 'staging' }), fired)).fires).toBe(false);
  });

  it('asks for no counts when a filter already failed', async () => {
    let asked = false;
    const counting = signals({
      countEvents: () => {
        asked = true;
        return Promise.resolve(100);
      },
    });
    const logic = rule({
      conditions: [{ id: CONDITION_IDS.frequency, value: 1, interval: '1m' }],
      filters: [{ id: FILTER_IDS.level, match: 'eq', level: '50' }],
    });
    expect((await evaluate(logic, counting)).fires).toBe(false);
    expect(asked).toBe(false);
  });
});
