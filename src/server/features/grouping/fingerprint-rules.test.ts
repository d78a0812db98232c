import { describe, expect, it } from 'vitest';

import { normalizeEvent } from '../processing/normalize.js';

import { computeGrouping } from './compute-grouping.js';
import { matchFingerprintRules } from './fingerprint-matcher.js';
import {
  formatFingerprintRule,
  parseFingerprintRule,
  parseFingerprintRules,
} from './fingerprint-rules.js';

function event(raw: Record<string, unknown>) {
  return normalizeEvent(raw, {
    eventId: undefined,
    receivedAt: Date.UTC(2025, 0, 1),
    sentAt: undefined,
    clientIp: undefined,
    client: undefined,
  });
}

const databaseError = event({
  platform: 'python',
  level: 'error',
  logger: 'app.db',
  release: 'backend@1.2.0',
  tags: { region: 'eu-west' },
  sdk: { name: 'sentry.python', version: '2.0.0' },
  exception: {
    values: [
      {
        type: 'DatabaseUnavailable',
        value: 'Connection to db-3 timed out',
        stacktrace: {
          frames: [
            {
              function: 'connect',
              module: 'app.db.pool',
              abs_path: '/srv/app/db/pool.py',
              package: '/srv/venv/lib/libpq.so',
              in_app: true,
            },
          ],
        },
      },
    ],
  },
});

describe('parseFingerprintRule', () => {
  it('reads matchers, fingerprint parts and the title', () => {
    const rule = parseFingerprintRule(
      'error.type:DatabaseUnavailable !message:"*ok*" -> db-down, {{ default }} title="DB {{ level }}"',
    );

    expect(rule).toEqual({
      matchers: [
        { key: 'type', pattern: 'DatabaseUnavailable', negated: false },
        { key: 'message', pattern: '*ok*', negated: true },
      ],
      fingerprint: ['db-down', '{{ default }}'],
      attributes: { title: 'DB {{ level }}' },
      text: 'error.type:DatabaseUnavailable !message:"*ok*" -> db-down, {{ default }} title="DB {{ level }}"',
    });
  });

  it('reads tag matchers and quoted parts with spaces', () => {
    const rule = parseFingerprintRule('tags.region:"eu west" -> "two words",{{tags.region}}');

    expect(rule).toMatchObject({
      matchers: [{ key: 'tag', tag: 'region', pattern: 'eu west', negated: false }],
      fingerprint: ['two words', '{{ tags.region }}'],
    });
  });

  it('skips blank and comment lines', () => {
    expect(parseFingerprintRule('   ')).toBeUndefined();
    expect(parseFingerprintRule('# type:X -> y')).toBeUndefined();
  });

  it.each([
    ['type:X', 'missing "->"'],
    ['-> y', 'at least one matcher'],
    ['colour:red -> y', 'unknown matcher "colour"'],
    ['type: -> y', 'empty value'],
    ['type:X ->', 'fingerprint after "->" is empty'],
    ['message:"open -> y', 'unterminated'],
    ['type:X -> y owner="me"', 'unknown attribute "owner"'],
    ['family:python -> y', 'unknown family "python"'],
  ])('rejects %s', (line, message) => {
    expect(parseFingerprintRule(line)).toContain(message);
  });
});

describe('parseFingerprintRules', () => {
  it('numbers the invalid lines', () => {
    const { rules, errors } = parseFingerprintRules('type:A -> a\n\nbogus\n# note\nlevel:x -> ');

    expect(rules).toHaveLength(1);
    expect(errors.map((error) => error.line)).toEqual([3, 5]);
  });
});

describe('formatFingerprintRule', () => {
  it('writes a rule that parses back to itself', () => {
    const rule = parseFingerprintRule('message:"a b" !tags.x:y -> "c d", {{ default }} title="T"');
    if (typeof rule !== 'object') {
      throw new Error(`rule did not parse: ${String(rule)}`);
    }

    const again = parseFingerprintRule(formatFingerprintRule(rule));

    expect(again).toMatchObject({
      matchers: rule.matchers,
      fingerprint: rule.fingerprint,
      attributes: rule.attributes,
    });
  });
});

describe('matchFingerprintRules', () => {
  it.each([
    ['type:DatabaseUnavailable', true],
    ['error.type:Database*', true],
    ['type:databaseunavailable', false],
    ['value:"*TIMED OUT"', true],
    ['message:"*db-3*"', true],
    ['logger:app.*', true],
    ['level:ERROR', true],
    ['tags.region:eu-*', true],
    ['tags.missing:*', false],
    ['stack.module:app.db.*', true],
    ['module:other.*', false],
    ['path:**/db/pool.py', true],
    ['stack.package:**/libpq.so', true],
    ['function:conn*', true],
    ['family:other', true],
    ['family:javascript,other', true],
    ['family:native', false],
    ['app:yes', true],
    ['app:no', false],
    ['sdk:sentry.python', true],
    ['release:backend@1.*', true],
    ['!type:DatabaseUnavailable', false],
    ['!type:Other', true],
    ['type:DatabaseUnavailable level:warning', false],
  ])('%s matches: %s', (matchers, expected) => {
    const { rules, errors } = parseFingerprintRules(`${matchers} -> fp`);

    expect(errors).toEqual([]);
    expect(matchFingerprintRules(rules, databaseError) !== undefined).toBe(expected);
  });

  it('takes the first matching rule and resolves the title', () => {
    const { rules } = parseFingerprintRules(
      'type:Nope -> a\ntype:DatabaseUnavailable -> b title="{{ type }} in {{ tags.region }}"\ntype:* -> c',
    );
    const match = matchFingerprintRules(rules, databaseError);

    expect(match?.fingerprint).toEqual(['b']);
    expect(match?.title).toBe('DatabaseUnavailable in eu-west');
  });
});

describe('computeGrouping with fingerprint rules', () => {
  it('replaces the fingerprint and names the matched rule', () => {
    const { rules } = parseFingerprintRules('type:DatabaseUnavailable -> database, {{ level }}');
    const result = computeGrouping(databaseError, { fingerprintingRules: rules });
    const variant = result.variants['custom-fingerprint'];

    expect(variant?.values).toEqual(['database', 'error']);
    expect(variant?.matchedRule).toBe('type:DatabaseUnavailable -> database, {{ level }}');
    expect(variant?.description).toBe('custom server fingerprint');
    expect(result.hashes).toHaveLength(1);
  });

  it('overrides the fingerprint sent by the SDK', () => {
    const withClientFingerprint = { ...databaseError, fingerprint: ['from-sdk'] };
    const { rules } = parseFingerprintRules('type:DatabaseUnavailable -> from-rule');
    const result = computeGrouping(withClientFingerprint, { fingerprintingRules: rules });

    expect(result.variants['custom-fingerprint']?.values).toEqual(['from-rule']);
  });

  it('keeps the component variants when no rule matches', () => {
    const { rules } = parseFingerprintRules('type:Other -> other');
    const result = computeGrouping(databaseError, { fingerprintingRules: rules });

    expect(result.variants['custom-fingerprint']).toBeUndefined();
    expect(result.variants.app?.contributes).toBe(true);
  });
});
