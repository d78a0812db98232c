import { describe, expect, it } from 'vitest';

import { ValidationError } from '../../platform/errors.js';
import { parseSettingsUpdate } from './settings-store.js';

function fieldsOf(body: unknown): Record<string, string[]> {
  try {
    parseSettingsUpdate(body);
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.fields;
    }
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseSettingsUpdate', () => {
  it('accepts a partial update', () => {
    expect(parseSettingsUpdate({ digest: 'weekly' })).toEqual({ digest: 'weekly' });
  });

  it('accepts an empty object', () => {
    expect(parseSettingsUpdate({})).toEqual({});
  });

  it('names every invalid field', () => {
    const fields = fieldsOf({ alerts: 'sometimes', quota: 1, extra: true, more: 'x' });

    expect(Object.keys(fields).sort()).toEqual(['alerts', 'extra', 'more', 'quota']);
    expect(fields.alerts).toEqual(['Invalid choice: expected one of "always", "never"']);
    expect(fields.extra).toEqual(['Unknown setting']);
  });

  it('rejects a body that is not an object', () => {
    expect(() => parseSettingsUpdate(null)).toThrow(ValidationError);
    expect(() => parseSettingsUpdate('always')).toThrow(ValidationError);
    expect(() => parseSettingsUpdate([])).toThrow(ValidationError);
  });
});
