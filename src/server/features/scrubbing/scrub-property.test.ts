import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { plantedEvents } from '../../../../test/helpers/planted-secrets.js';
import { normalizeEvent } from '../processing/normalize.js';
import { prepareNormalizedEvent } from '../worker/prepare-event.js';
import { scrubEvent } from './scrub-records.js';
import {
  buildScrubbingConfig,
  ORGANIZATION_DEFAULTS,
  PROJECT_DEFAULTS,
} from './scrubbing-settings.js';

const DEFAULTS = buildScrubbingConfig(ORGANIZATION_DEFAULTS, PROJECT_DEFAULTS);
const SCRUBBING_OFF = buildScrubbingConfig(ORGANIZATION_DEFAULTS, {
  ...PROJECT_DEFAULTS,
  dataScrubber: false,
});

/** Runs an event through the worker's steps and returns everything that would be stored. */
function storedText(raw: Record<string, unknown>, config = DEFAULTS): string {
  const event = normalizeEvent(structuredClone(raw), {
    eventId: undefined,
    receivedAt: Date.UTC(2026, 0, 1),
    sentAt: undefined,
    clientIp: '203.0.113.9',
    client: undefined,
  });
  scrubEvent(event, config);
  const prepared = prepareNormalizedEvent(1, Date.UTC(2026, 0, 1), event);
  return [
    prepared.json.toString('utf8'),
    JSON.stringify(prepared.tags),
    prepared.title,
    prepared.culprit,
    JSON.stringify(prepared.metadata),
    prepared.userTag ?? '',
  ].join('\n');
}

describe('scrubbing property', () => {
  it('leaves no planted secret in 10,000 stored events', () => {
    fc.assert(
      fc.property(plantedEvents, ({ event, secrets }) => {
        const text = storedText(event);
        const survivors = secrets.filter((secret) => text.includes(secret));
        expect(survivors).toEqual([]);
      }),
      { numRuns: 10_000, seed: 20261205 },
    );
  });

  it('keeps planted secrets with scrubbing off', () => {
    // The same check must fail when nothing scrubs, or it proves nothing.
    fc.assert(
      fc.property(plantedEvents, ({ event, secrets }) => {
        const text = storedText(event, SCRUBBING_OFF);
        expect(secrets.some((secret) => text.includes(secret))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the planted secrets in the sent event', () => {
    // The generator must plant what the test looks for, or the property proves nothing.
    fc.assert(
      fc.property(plantedEvents, ({ event, secrets }) => {
        const text = JSON.stringify(event);
        expect(secrets.every((secret) => text.includes(secret))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
