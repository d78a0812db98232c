import { deflateSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import {
  adler32,
  buildPayloadDictionary,
  compressPayload,
  inflatePayload,
  MAX_DICTIONARY_BYTES,
  readDictionaryChecksum,
} from './payload-codec.js';

const EVENT = {
  event_id: 'a'.repeat(32),
  level: 'error',
  user: { id: 'user-7', email: 'person@example.com' },
  request: { url: 'https://example.com/account/7' },
  breadcrumbs: { values: [{ message: 'opened /account/7' }] },
  tags: [
    ['environment', 'production'],
    ['user', 'id:user-7'],
  ],
  contexts: {
    os: { name: 'Linux' },
    device: { name: "Ada's laptop", arch: 'x64' },
    profile: { plan: 'gold' },
  },
  exception: {
    values: [
      { type: 'TypeError', stacktrace: { frames: [{ function: 'load', vars: { a: 'b' } }] } },
    ],
  },
};

describe('buildPayloadDictionary', () => {
  it('reduces personal fields to their keys', () => {
    const dictionary = JSON.parse(buildPayloadDictionary(EVENT).toString('utf8')) as Record<
      string,
      unknown
    >;

    expect(dictionary.user).toEqual({ id: '', email: '' });
    expect(dictionary.request).toEqual({ url: '' });
    expect(dictionary.breadcrumbs).toEqual({ values: [{ message: '' }] });
    expect(dictionary.event_id).toBe('');
  });

  it('keeps tag and context values that name no person', () => {
    const dictionary = JSON.parse(buildPayloadDictionary(EVENT).toString('utf8')) as Record<
      string,
      unknown
    >;

    expect(dictionary.tags).toEqual([
      ['environment', 'production'],
      ['', ''],
    ]);
    expect(dictionary.contexts).toEqual({
      os: { name: 'Linux' },
      device: { name: '', arch: 'x64' },
      profile: { plan: '' },
    });
  });

  it('drops frame variables and puts the stack trace last', () => {
    const text = buildPayloadDictionary(EVENT).toString('utf8');

    expect(text).not.toContain('vars');
    expect(text.endsWith('"function":"load"}]}}]}}')).toBe(true);
  });

  it('cuts a large event to the deflate window', () => {
    const large = { ...EVENT, modules: { big: 'x'.repeat(100_000) } };

    expect(buildPayloadDictionary(large).length).toBe(MAX_DICTIONARY_BYTES);
  });
});

describe('compressPayload', () => {
  const json = Buffer.from(JSON.stringify(EVENT));
  const dictionary = buildPayloadDictionary(EVENT);

  it('round-trips a payload with a dictionary', () => {
    expect(inflatePayload(compressPayload(json, dictionary), dictionary)).toEqual(json);
  });

  it('round-trips a payload without a dictionary', () => {
    expect(inflatePayload(compressPayload(json, null), null)).toEqual(json);
  });

  it('rejects a payload read without its dictionary', () => {
    expect(() => inflatePayload(compressPayload(json, dictionary), null)).toThrow();
  });

  it('writes the dictionary checksum into the payload header', () => {
    expect(readDictionaryChecksum(compressPayload(json, dictionary))).toBe(adler32(dictionary));
  });

  it('writes no checksum without a dictionary', () => {
    expect(readDictionaryChecksum(compressPayload(json, null))).toBeNull();
  });
});

describe('adler32', () => {
  it('matches the checksum zlib writes for inputs longer than one run', () => {
    const bytes = Buffer.alloc(20_000, 0xff);
    const stream = deflateSync(Buffer.from('x'), { dictionary: bytes });

    expect(adler32(bytes)).toBe(stream.readUInt32BE(2));
  });
});
