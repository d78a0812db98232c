import { describe, expect, it } from 'vitest';

import {
  parseSessionAggregates,
  parseSessionUpdate,
  type ParsedSessionItem,
} from './session-parser.js';

const RECEIVED = Date.parse('2026-12-04T15:37:26Z');
const CONTEXT = { receivedAt: RECEIVED, sentAt: '2026-12-04T15:37:25.060Z' };
const SID = 'a73753cb571247e492df76a03da4eedf';

/** Returns the accepted result, failing the test with the reason when the item was rejected. */
function accepted(parsed: ParsedSessionItem) {
  if (!parsed.ok) {
    throw new Error(`item rejected: ${parsed.reason}`);
  }
  return parsed;
}

function update(overrides: Record<string, unknown> = {}) {
  return {
    sid: SID,
    did: 'user-1',
    init: true,
    started: '2026-12-04T15:37:25.001Z',
    timestamp: '2026-12-04T15:37:25.060Z',
    status: 'ok',
    errors: 0,
    attrs: { release: 'node-capture@1.0.0', environment: 'capture' },
    ...overrides,
  };
}

describe('parseSessionUpdate', () => {
  it('counts a first update as one session of its start hour', () => {
    const parsed = parseSessionUpdate(update(), CONTEXT);

    expect(parsed).toEqual({
      ok: true,
      rejected: [],
      contributions: [
        {
          release: 'node-capture@1.0.0',
          environment: 'capture',
          hour: Date.parse('2026-12-04T15:00:00Z'),
          seenAt: Date.parse('2026-12-04T15:37:25.060Z'),
          sessions: 1,
          erroredCount: 0,
          erroredSessionId: undefined,
          crashed: 0,
          abnormal: 0,
          unhandled: 0,
          exited: 0,
          user: { distinctId: 'user-1', errored: false, crashed: false, abnormal: false },
        },
      ],
    });
  });

  it('marks a session with errors as errored by its id', () => {
    const parsed = parseSessionUpdate(
      update({ init: false, status: 'exited', errors: 1 }),
      CONTEXT,
    );
    const contribution = accepted(parsed).contributions[0];

    expect(contribution?.sessions).toBe(0);
    expect(contribution?.erroredSessionId).toBe(SID);
    expect(contribution?.exited).toBe(1);
    expect(contribution?.user?.errored).toBe(true);
  });

  it('counts a crash and a crashed user', () => {
    const parsed = parseSessionUpdate(update({ status: 'crashed', errors: 1 }), CONTEXT);
    const contribution = accepted(parsed).contributions[0];

    expect(contribution?.crashed).toBe(1);
    expect(contribution?.user?.crashed).toBe(true);
  });

  it('accepts the browser SDK status unhandled', () => {
    const parsed = parseSessionUpdate(update({ status: 'unhandled', errors: 1 }), CONTEXT);
    expect(accepted(parsed).contributions[0]?.unhandled).toBe(1);
  });

  it('ignores a nil distinct id', () => {
    const parsed = parseSessionUpdate(
      update({ did: '00000000-0000-0000-0000-000000000000' }),
      CONTEXT,
    );
    expect(accepted(parsed).contributions[0]?.user).toBeUndefined();
  });

  it('corrects the times for a client clock an hour behind', () => {
    const parsed = parseSessionUpdate(
      update({ started: '2026-12-04T14:37:25Z', timestamp: '2026-12-04T14:37:25Z' }),
      { receivedAt: RECEIVED, sentAt: '2026-12-04T14:37:26Z' },
    );
    expect(accepted(parsed).contributions[0]?.hour).toBe(Date.parse('2026-12-04T15:00:00Z'));
  });

  it('takes the receive time for a missing update time', () => {
    const parsed = parseSessionUpdate(update({ timestamp: undefined }), CONTEXT);
    expect(accepted(parsed).contributions[0]?.seenAt).toBe(RECEIVED);
  });

  it.each([
    ['no attributes', { attrs: undefined }, 'missing_release'],
    ['no release', { attrs: { environment: 'prod' } }, 'missing_release'],
    ['a blank release', { attrs: { release: '  ' } }, 'missing_release'],
    ['a release with a slash', { attrs: { release: 'a/b' } }, 'invalid_release'],
    ['the release latest', { attrs: { release: 'latest' } }, 'invalid_release'],
    ['a release that is a number', { attrs: { release: 1 } }, 'invalid_release'],
    ['attributes that are a list', { attrs: ['release'] }, 'invalid_session'],
    ['an unknown status', { status: 'exploded' }, 'invalid_status'],
    ['a status that is a number', { status: 3 }, 'invalid_status'],
    ['no start time', { started: undefined }, 'invalid_timestamp'],
    ['a start date that does not exist', { started: '2026-02-31T00:00:00Z' }, 'invalid_timestamp'],
    ['errors as a string', { errors: '3' }, 'invalid_session'],
    ['a negative error count', { errors: -1 }, 'invalid_session'],
    ['init as a string', { init: 'yes' }, 'invalid_session'],
    ['a distinct id that is an object', { did: { id: 1 } }, 'invalid_session'],
    ['a distinct id with NUL', { did: 'a\u0000b' }, 'invalid_session'],
    ['a release with NUL', { attrs: { release: 'a\u0000b' } }, 'invalid_release'],
    ['a session id that is not a UUID', { sid: 'abc' }, 'invalid_session'],
    [
      'a start six days ago',
      { started: '2026-11-28T15:00:00Z', timestamp: '2026-11-28T15:00:00Z' },
      'past_timestamp',
    ],
    [
      'a start ten minutes ahead',
      { started: '2026-12-04T15:47:26Z', timestamp: '2026-12-04T15:47:26Z' },
      'future_timestamp',
    ],
  ])('rejects %s', (_name, overrides, reason) => {
    expect(parseSessionUpdate(update(overrides), CONTEXT)).toEqual({ ok: false, reason });
  });

  it('removes an environment that is too long and keeps the session', () => {
    const parsed = parseSessionUpdate(
      update({ attrs: { release: 'a@1', environment: 'e'.repeat(65) } }),
      CONTEXT,
    );
    expect(accepted(parsed).contributions[0]?.environment).toBe('');
  });
});

describe('parseSessionAggregates', () => {
  const aggregates = (
    buckets: unknown[],
    attrs: unknown = { release: 'ruby-capture@1.0.0', environment: 'capture' },
  ) => ({
    attrs,
    aggregates: buckets,
  });

  it('adds up the buckets of sentry-ruby', () => {
    const parsed = parseSessionAggregates(
      aggregates([{ started: '2026-12-04T15:37:00Z', errored: 1, exited: 2, crashed: 1 }]),
      CONTEXT,
    );
    const contribution = accepted(parsed).contributions[0];

    expect(contribution?.sessions).toBe(4);
    expect(contribution?.erroredCount).toBe(2);
    expect(contribution?.crashed).toBe(1);
    expect(contribution?.exited).toBe(2);
    expect(contribution?.user).toBeUndefined();
  });

  it('drops old buckets and keeps the others', () => {
    const parsed = parseSessionAggregates(
      aggregates([
        { started: '2026-11-01T00:00:00Z', exited: 1 },
        { started: '2026-12-04T15:37:00Z', exited: 1 },
      ]),
      CONTEXT,
    );

    expect(accepted(parsed).contributions).toHaveLength(1);
    expect(accepted(parsed).rejected).toEqual([{ reason: 'past_timestamp', quantity: 1 }]);
  });

  it.each([
    [
      'no release',
      aggregates([{ started: '2026-12-04T15:37:00Z', exited: 1 }], {}),
      'missing_release',
    ],
    ['no buckets', aggregates([]), 'empty_aggregates'],
    [
      'buckets that are an object',
      { attrs: { release: 'a@1' }, aggregates: { exited: 1 } },
      'invalid_session',
    ],
    [
      'a negative count',
      aggregates([{ started: '2026-12-04T15:37:00Z', exited: -1 }]),
      'invalid_session',
    ],
    [
      'a count that is a string',
      aggregates([{ started: '2026-12-04T15:37:00Z', crashed: '1' }]),
      'invalid_session',
    ],
    ['a bucket without start', aggregates([{ exited: 1 }]), 'invalid_timestamp'],
    [
      'only old buckets',
      aggregates([{ started: '2026-11-01T00:00:00Z', exited: 1 }]),
      'past_timestamp',
    ],
  ])('rejects %s', (_name, item, reason) => {
    expect(parseSessionAggregates(item, CONTEXT)).toEqual({ ok: false, reason });
  });
});
