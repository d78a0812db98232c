import { describe, expect, it } from 'vitest';

import { describeProcessingError } from './processing-error-text';

describe('describeProcessingError', () => {
  it('words a missing source map with its file', () => {
    expect(
      describeProcessingError({ type: 'js_no_source', url: 'https://a.example/app.min.js' }),
    ).toEqual({ text: 'No source map was found for', subject: 'https://a.example/app.min.js' });
  });

  it('words a map without source code', () => {
    expect(
      describeProcessingError({ type: 'js_missing_sources_content', url: '~/app.js.map' }).text,
    ).toBe('The source map has no source code (sourcesContent):');
  });

  it('keeps the message and field of other errors', () => {
    expect(
      describeProcessingError({ type: 'invalid_data', name: 'user.ip', message: 'Invalid IP' }),
    ).toEqual({ text: 'Invalid IP', subject: 'user.ip' });
  });

  it('falls back to the type without a message', () => {
    expect(describeProcessingError({ type: 'past_timestamp' })).toEqual({
      text: 'past_timestamp',
      subject: null,
    });
  });
});
