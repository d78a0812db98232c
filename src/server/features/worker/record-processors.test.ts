import { describe, expect, it } from 'vitest';

import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { OutcomeCount } from '../ingest/outcome-recorder.js';
import {
  createProcessorContext,
  parseItemRecord,
  readItemRecords,
  recordCategory,
} from './record-processors.js';

function record(id: number, kind: string, body: string): ClaimedRecord {
  return { id, projectId: 7, kind, receivedAt: 3_600_000 * 5 + 10, body };
}

describe('readItemRecords', () => {
  const outcomes: OutcomeCount[] = [];
  const context = createProcessorContext(
    undefined as unknown as Kysely<Database>,
    'sqlite',
    createLogger('silent'),
    outcomes,
  );
  const good = record(1, 'log', '{"meta":{"eventId":null},"item":{"items":[]}}');
  const records = [
    good,
    record(2, 'log', '\uFEFF{"meta":{},"item":{}}'),
    record(3, 'check_in', '{"item":{}}'),
    record(4, 'transaction', '[1,2]'),
  ];

  const readable = readItemRecords(records, context);

  it('keeps records with a meta object', () => {
    expect(readable).toEqual([good]);
    expect(parseItemRecord(good).item).toEqual({ items: [] });
  });

  it('counts unreadable records by their category', () => {
    expect(outcomes.map((outcome) => [outcome.category, outcome.reason])).toEqual([
      ['log_item', 'processing_error'],
      ['monitor', 'processing_error'],
      ['transaction', 'processing_error'],
    ]);
    expect(outcomes.every((outcome) => outcome.hour === 3_600_000 * 5)).toBe(true);
  });
});

describe('recordCategory', () => {
  it('maps record kinds to data categories', () => {
    expect(recordCategory('event')).toBe('error');
    expect(recordCategory('sessions')).toBe('session');
    expect(recordCategory('user_report')).toBe('default');
    expect(recordCategory('something_new')).toBe('default');
  });
});
