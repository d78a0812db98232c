import { describe, expect, it } from 'vitest';

import { normalizeEventId, parseJsonPayload } from './json-payload.js';

function nested(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

describe('parseJsonPayload', () => {
  it('parses a JSON object', () => {
    const text = '{"level":"error","tags":{"a":"b"}}';
    const result = parseJsonPayload(Buffer.from(text));

    expect(result).toEqual({ ok: true, value: { level: 'error', tags: { a: 'b' } }, text });
  });

  it('returns the text without a byte order mark', () => {
    const result = parseJsonPayload(Buffer.from('\uFEFF{"level":"error"}'));

    expect(result).toEqual({ ok: true, value: { level: 'error' }, text: '{"level":"error"}' });
  });

  it('parses non-ASCII UTF-8 text', () => {
    const result = parseJsonPayload(Buffer.from('{"message":"Grüße 👋"}'));

    expect(result).toEqual({
      ok: true,
      value: { message: 'Grüße 👋' },
      text: '{"message":"Grüße 👋"}',
    });
  });

  it('rejects invalid UTF-8', () => {
    const payload = Buffer.concat([
      Buffer.from('{"message":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);

    const result = parseJsonPayload(payload);

    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toBe('invalid_utf8');
  });

  it('rejects a truncated UTF-8 sequence at the end', () => {
    const payload = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82])]);

    const result = parseJsonPayload(payload);

    expect(result.ok ? undefined : result.reason).toBe('invalid_utf8');
  });

  it('rejects a UTF-8 encoded surrogate', () => {
    const payload = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);

    const result = parseJsonPayload(payload);

    expect(result.ok ? undefined : result.reason).toBe('invalid_utf8');
  });

  it('rejects invalid JSON with the parser message', () => {
    const result = parseJsonPayload(Buffer.from('{"level":'));

    expect(result.ok ? undefined : result.reason).toBe('invalid_json');
    expect(result.ok ? undefined : result.message).toMatch(/^Payload is not valid JSON: /);
  });

  it('rejects an empty payload as invalid JSON', () => {
    const result = parseJsonPayload(Buffer.alloc(0));

    expect(result.ok ? undefined : result.reason).toBe('invalid_json');
  });

  it.each([
    ['an array', '[1,2]', 'array'],
    ['null', 'null', 'null'],
    ['a string', '"event"', 'string'],
    ['a number', '42', 'number'],
  ])('rejects %s at the top level', (_name, text, typeName) => {
    const result = parseJsonPayload(Buffer.from(text));

    expect(result.ok ? undefined : result.reason).toBe('not_object');
    expect(result.ok ? undefined : result.message).toContain(typeName);
  });

  it('accepts a top-level array with allowArray', () => {
    const result = parseJsonPayload(Buffer.from('[{"a":1}]'), { allowArray: true });

    expect(result).toEqual({ ok: true, value: [{ a: 1 }], text: '[{"a":1}]' });
  });

  it('rejects a string with allowArray', () => {
    const result = parseJsonPayload(Buffer.from('"report"'), { allowArray: true });

    expect(result.ok ? undefined : result.message).toContain('expected an object or an array');
  });

  it('rejects JSON nested 10,000 deep without overflowing the stack', () => {
    const payload = Buffer.from(`{"a":${nested(10_000)}}`);

    const result = parseJsonPayload(payload);

    expect(result.ok ? undefined : result.reason).toBe('too_deep');
  });

  it('rejects objects nested 10,000 deep', () => {
    const payload = Buffer.from('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));

    const result = parseJsonPayload(payload);

    expect(result.ok ? undefined : result.reason).toBe('too_deep');
  });

  it('accepts nesting exactly at the default limit of 64', () => {
    const payload = Buffer.from(`{"a":${nested(63)}}`);

    const result = parseJsonPayload(payload);

    expect(result.ok).toBe(true);
  });

  it('rejects nesting one level over the default limit', () => {
    const payload = Buffer.from(`{"a":${nested(64)}}`);

    const result = parseJsonPayload(payload);

    expect(result.ok ? undefined : result.reason).toBe('too_deep');
  });

  it('applies a custom maxDepth', () => {
    const payload = Buffer.from('{"a":{"b":{}}}');

    expect(parseJsonPayload(payload, { maxDepth: 3 }).ok).toBe(true);
    expect(parseJsonPayload(payload, { maxDepth: 2 }).ok).toBe(false);
  });

  it('ignores brackets inside strings when measuring depth', () => {
    const payload = Buffer.from(JSON.stringify({ message: nested(500), quoted: '\\"[[[' }));

    const result = parseJsonPayload(payload);

    expect(result.ok).toBe(true);
  });

  it('handles escaped quotes before brackets inside strings', () => {
    const payload = Buffer.from(JSON.stringify({ message: `say \\"${nested(100, '{', '}')}\\"` }));

    const result = parseJsonPayload(payload);

    expect(result.ok).toBe(true);
  });
});

describe('normalizeEventId', () => {
  it('keeps 32 lowercase hex digits', () => {
    expect(normalizeEventId('9ec79c33ec9942ab8353589fcb2e04dc')).toBe(
      '9ec79c33ec9942ab8353589fcb2e04dc',
    );
  });

  it('lowercases 32 uppercase hex digits', () => {
    expect(normalizeEventId('9EC79C33EC9942AB8353589FCB2E04DC')).toBe(
      '9ec79c33ec9942ab8353589fcb2e04dc',
    );
  });

  it('removes the dashes of a hyphenated UUID', () => {
    expect(normalizeEventId('9EC79C33-EC99-42AB-8353-589FCB2E04DC')).toBe(
      '9ec79c33ec9942ab8353589fcb2e04dc',
    );
  });

  it.each([
    ['a short hex string', '9ec79c33ec9942ab8353589fcb2e04d'],
    ['a non-hex character', '9ec79c33ec9942ab8353589fcb2e04dg'],
    ['misplaced dashes', '9ec79c33e-c99-42ab-8353-589fcb2e04dc'],
    ['surrounding whitespace', ' 9ec79c33ec9942ab8353589fcb2e04dc'],
    ['braces', '{9ec79c33-ec99-42ab-8353-589fcb2e04dc}'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
  ])('returns undefined for %s', (_name, value) => {
    expect(normalizeEventId(value)).toBeUndefined();
  });
});
