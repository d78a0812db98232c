import { describe, expect, it } from 'vitest';

import { dataCategoryOf, ITEM_SIZE_LIMITS, itemSizeLimit } from './item-types.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('dataCategoryOf', () => {
  it.each([
    ['event', 'error'],
    ['transaction', 'transaction'],
    ['attachment', 'attachment'],
    ['session', 'session'],
    ['sessions', 'session'],
    ['client_report', 'internal'],
    ['user_report', 'default'],
    ['feedback', 'feedback'],
    ['profile', 'profile'],
    ['profile_chunk', 'profile'],
    ['replay_event', 'replay'],
    ['replay_recording', 'replay'],
    ['replay_video', 'replay'],
    ['check_in', 'monitor'],
    ['span', 'span'],
    ['log', 'log_item'],
    ['trace_metric', 'trace_metric'],
    ['raw_security', 'security'],
    ['nel', 'security'],
  ])('maps item type %s to category %s', (itemType, category) => {
    expect(dataCategoryOf(itemType)).toBe(category);
  });

  it('returns unknown for an unknown item type', () => {
    expect(dataCategoryOf('future_item')).toBe('unknown');
  });

  it('returns unknown for Object.prototype keys', () => {
    expect(dataCategoryOf('constructor')).toBe('unknown');
  });
});

describe('itemSizeLimit', () => {
  it.each([
    ['event', 1 * MIB],
    ['transaction', 1 * MIB],
    ['attachment', 200 * MIB],
    ['check_in', 100 * KIB],
    ['client_report', 100 * KIB],
    ['log', 2 * MIB],
    ['span', 10 * MIB],
    ['profile', 50 * MIB],
    ['profile_chunk', 50 * MIB],
    ['replay_event', 10 * MIB],
    ['replay_recording', 10 * MIB],
    ['replay_video', 10 * MIB],
    ['session', 1 * MIB],
    ['feedback', 1 * MIB],
    ['future_item', 1 * MIB],
  ])('limits %s to %i bytes', (itemType, limit) => {
    expect(itemSizeLimit(itemType)).toBe(limit);
  });

  it('uses the default limit for Object.prototype keys', () => {
    expect(itemSizeLimit('toString')).toBe(ITEM_SIZE_LIMITS.default);
  });
});
