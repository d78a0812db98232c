import { describe, expect, it } from 'vitest';

import { ValidationError } from '../../platform/errors.js';
import { parseSelector, SelectorError } from './selector.js';
import {
  combineSettings,
  ORGANIZATION_DEFAULTS,
  parseSettingsUpdate,
  PROJECT_DEFAULTS,
} from './scrubbing-settings.js';

describe('parseSettingsUpdate', () => {
  it('accepts Sentry field names and trims the field lists', () => {
    const update = parseSettingsUpdate({ scrubIPAddresses: true, sensitiveFields: [' card ', ''] });

    expect(update).toEqual({ scrubIPAddresses: true, sensitiveFields: ['card'] });
  });

  it.each([
    [{ unknownField: true }],
    [{ dataScrubber: 'yes' }],
    [{ relayPiiConfig: '{not json' }],
    [{ relayPiiConfig: JSON.stringify({ applications: { $string: ['missing-rule'] } }) }],
    [{ relayPiiConfig: JSON.stringify({ applications: { '$string &&': ['@ip'] } }) }],
    [
      {
        relayPiiConfig: JSON.stringify({
          rules: { slow: { type: 'pattern', pattern: '(a+)+$' } },
          applications: { $string: ['slow'] },
        }),
      },
    ],
  ])('rejects %j', (body) => {
    expect(() => parseSettingsUpdate(body)).toThrow(ValidationError);
  });

  it('accepts advanced rules with built-in and custom rules', () => {
    const relayPiiConfig = JSON.stringify({
      rules: { order: { type: 'pattern', pattern: 'ORD-\\d+', redaction: { method: 'hash' } } },
      applications: { '$http.headers.x-custom || extra.foo': ['order', '@email:mask'] },
    });

    expect(parseSettingsUpdate({ relayPiiConfig }).relayPiiConfig).toBe(relayPiiConfig);
  });
});

describe('combineSettings', () => {
  it('lets organization flags force the project on and joins the lists', () => {
    const combined = combineSettings(
      { ...ORGANIZATION_DEFAULTS, scrubIPAddresses: true, sensitiveFields: ['a'] },
      { ...PROJECT_DEFAULTS, dataScrubber: false, sensitiveFields: ['b', 'a'] },
    );

    expect(combined.scrubIPAddresses).toBe(true);
    expect(combined.dataScrubber).toBe(false);
    expect(combined.sensitiveFields).toEqual(['a', 'b']);
  });
});

describe('parseSelector', () => {
  it.each([
    ["extra.'my key'"],
    ['!(a || b) && $string'],
    ['$frame.vars.**'],
    ['*.cookies.sessionid'],
  ])('parses %s', (text) => {
    expect(() => parseSelector(text)).not.toThrow();
  });

  it.each([['**.**'], ['*'], ['$nosuchtype'], ['a &&'], ["'unterminated"]])(
    'rejects %s',
    (text) => {
      expect(() => parseSelector(text)).toThrow(SelectorError);
    },
  );
});
