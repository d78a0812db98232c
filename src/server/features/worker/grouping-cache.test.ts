import { describe, expect, it } from 'vitest';

import { compileGroupingRules } from '../grouping/index.js';
import { normalizeEvent } from '../processing/normalize.js';
import { computeGroupingCached } from './grouping-cache.js';

function pythonError(lastFunction: string) {
  return normalizeEvent(
    {
      platform: 'python',
      exception: {
        values: [
          {
            type: 'CacheError',
            value: 'cache miss',
            stacktrace: {
              frames: [
                { function: 'main', module: 'app', in_app: true },
                { function: lastFunction, module: 'app.cache', in_app: true },
              ],
            },
          },
        ],
      },
    },
    {
      eventId: undefined,
      receivedAt: Date.UTC(2025, 0, 1),
      sentAt: undefined,
      clientIp: undefined,
      client: undefined,
    },
  );
}

describe('computeGroupingCached', () => {
  it('keys cached results on the project rules', () => {
    const event = pythonError('lookup');
    const withoutRules = computeGroupingCached(event);
    const withRule = computeGroupingCached(
      event,
      compileGroupingRules({ enhancements: 'function:lookup -group', fingerprinting: '' }),
    );
    const again = computeGroupingCached(event);

    expect(withRule.hashes).not.toEqual(withoutRules.hashes);
    expect(again.hashes).toEqual(withoutRules.hashes);
  });

  it('applies a matching fingerprint rule', () => {
    const rules = compileGroupingRules({
      enhancements: '',
      fingerprinting: 'error.type:CacheError -> cache-errors',
    });
    const first = computeGroupingCached(pythonError('lookup'), rules);
    const second = computeGroupingCached(pythonError('store'), rules);

    expect(first.variants['custom-fingerprint']?.values).toEqual(['cache-errors']);
    expect(second.hashes).toEqual(first.hashes);
  });
});
