import { describe, expect, it } from 'vitest';

import { AppError } from '../../platform/errors.js';
import { parseEnvelope } from './envelope-parser.js';

const EVENT_ID = '9ec79c33ec9942ab8353589fcb2e04dc';
const ENVELOPE_HEADER = `{"event_id":"${EVENT_ID}","sent_at":"2026-01-01T00:00:00.000Z"}`;
const EVENT_PAYLOAD = `{"event_id":"${EVENT_ID}","level":"error","message":"boom"}`;

function envelope(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseEnvelope', () => {
  it('parses items without length and without a trailing newline', () => {
    const body = envelope(
      ENVELOPE_HEADER,
      '\n{"type":"event"}\n',
      EVENT_PAYLOAD,
      '\n{"type":"client_report"}\n',
      '{"discarded_events":[]}',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items.map((item) => item.headers.type)).toEqual(['event', 'client_report']);
    expect(parsed.items[0]?.payload.toString()).toBe(EVENT_PAYLOAD);
    expect(parsed.items[1]?.payload.toString()).toBe('{"discarded_events":[]}');
  });

  it('parses items with length and a trailing newline', () => {
    const body = envelope(
      '{}\n',
      `{"type":"event","length":${EVENT_PAYLOAD.length}}\n`,
      EVENT_PAYLOAD,
      '\n',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]?.payload.toString()).toBe(EVENT_PAYLOAD);
    expect(parsed.items[0]?.headers.length).toBe(EVENT_PAYLOAD.length);
  });

  it('reads the envelope header keys', () => {
    const parsed = parseEnvelope(envelope(ENVELOPE_HEADER));

    expect(parsed.headers.event_id).toBe(EVENT_ID);
    expect(parsed.headers.sent_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps unknown keys in envelope and item headers', () => {
    const body = envelope(
      '{"trace":{"trace_id":"abc"},"custom":1}\n',
      '{"type":"attachment","length":2,"filename":"a.txt","attachment_type":"event.attachment"}\n',
      'hi',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.headers).toEqual({ trace: { trace_id: 'abc' }, custom: 1 });
    expect(parsed.items[0]?.headers).toEqual({
      type: 'attachment',
      length: 2,
      filename: 'a.txt',
      attachment_type: 'event.attachment',
    });
  });

  it('counts a BOM and CRLF inside a length-delimited payload', () => {
    // The attachment from the "Full Examples" of the Sentry envelope docs: BOM + "Hello\r\n".
    const attachment = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('Hello\r\n')]);
    const body = envelope(
      `{"event_id":"${EVENT_ID}"}\n`,
      '{"type":"attachment","length":10,"content_type":"text/plain","filename":"hello.txt"}\n',
      attachment,
      '\n{"type":"event","length":41,"content_type":"application/json"}\n',
      '{"message":"hello world","level":"error"}\n',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items[0]?.payload.equals(attachment)).toBe(true);
    expect(parsed.items[1]?.payload.toString()).toBe('{"message":"hello world","level":"error"}');
  });

  it('keeps a carriage return in a payload without length', () => {
    const body = envelope('{}\n{"type":"event"}\r\n', EVENT_PAYLOAD, '\r\n');

    const parsed = parseEnvelope(body);

    expect(parsed.items[0]?.headers.type).toBe('event');
    expect(parsed.items[0]?.payload.toString()).toBe(`${EVENT_PAYLOAD}\r`);
  });

  it('parses length 0 payloads followed by their newline', () => {
    const body = envelope(
      '{}\n',
      '{"type":"attachment","length":0}\n\n',
      '{"type":"attachment","length":0}\n\n',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items.map((item) => item.payload.length)).toEqual([0, 0]);
  });

  it('parses a length 0 payload at the end without its newline', () => {
    const body = envelope(
      '{}\n',
      '{"type":"attachment","length":0}\n\n',
      '{"type":"attachment","length":0}\n',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items).toHaveLength(2);
  });

  it('gives an empty payload to a last item header without a newline', () => {
    const parsed = parseEnvelope(envelope('{}\n{"type":"attachment"}'));

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items[0]?.payload.length).toBe(0);
  });

  it('reads a payload without length up to the end of the body', () => {
    const parsed = parseEnvelope(envelope('{}\n{"type":"attachment"}\nhelloworld'));

    expect(parsed.items[0]?.payload.toString()).toBe('helloworld');
  });

  it('keeps binary payload bytes, including newlines, exactly', () => {
    const binary = Buffer.from([0x00, 0x0a, 0xff, 0x0d, 0x0a, 0x80, 0x0a]);
    const body = envelope(
      '{}\n',
      `{"type":"replay_recording","length":${binary.length}}\n`,
      binary,
      '\n{"type":"replay_event"}\n{}',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.framingError).toBeUndefined();
    expect(parsed.items[0]?.payload.equals(binary)).toBe(true);
    expect(parsed.items[1]?.headers.type).toBe('replay_event');
  });

  it('numbers items from 0 in envelope order', () => {
    const body = envelope(
      '{}\n{"type":"session"}\n{}\n{"type":"session"}\n{}\n{"type":"event"}\n{}',
    );

    const parsed = parseEnvelope(body);

    expect(parsed.items.map((item) => item.index)).toEqual([0, 1, 2]);
  });

  it('accepts an envelope with a header only', () => {
    const parsed = parseEnvelope(envelope('{}'));

    expect(parsed.items).toEqual([]);
    expect(parsed.framingError).toBeUndefined();
  });

  it('accepts an envelope with a header and a newline only', () => {
    const parsed = parseEnvelope(envelope('{}\n'));

    expect(parsed.items).toEqual([]);
    expect(parsed.framingError).toBeUndefined();
  });

  it('treats a blank line at the end as the end of the envelope', () => {
    const parsed = parseEnvelope(envelope('{}\n{"type":"event"}\n{}\n\n'));

    expect(parsed.items).toHaveLength(1);
    expect(parsed.framingError).toBeUndefined();
  });

  it('treats length null as no length', () => {
    const parsed = parseEnvelope(envelope('{}\n{"type":"event","length":null}\n{}\n'));

    expect(parsed.items[0]?.payload.toString()).toBe('{}');
    expect(parsed.items[0]?.headers).toEqual({ type: 'event' });
  });

  it('drops null event_id, dsn and sent_at', () => {
    const parsed = parseEnvelope(envelope('{"event_id":null,"dsn":null,"sent_at":null,"x":null}'));

    expect(parsed.headers).toEqual({ x: null });
  });

  it('returns payloads that are views of the body', () => {
    const body = envelope('{}\n{"type":"event"}\nab');
    const parsed = parseEnvelope(body);

    body[body.length - 2] = 0x58;

    expect(parsed.items[0]?.payload.toString()).toBe('Xb');
  });

  describe('envelope header errors', () => {
    it.each([
      ['an empty body', '', 'Envelope is empty'],
      ['invalid JSON', '{"event_id":\n{"type":"event"}\n{}', 'Envelope header is not valid JSON'],
      ['a JSON array', '[]\n', 'Envelope header is not a JSON object'],
      ['a JSON string', '"x"', 'Envelope header is not a JSON object'],
      ['an empty first line', '\n{"type":"event"}\n{}', 'Envelope header is empty'],
      ['a numeric event_id', '{"event_id":42}', 'Envelope header "event_id" must be a string'],
      ['an object dsn', '{"dsn":{}}', 'Envelope header "dsn" must be a string'],
    ])('throws invalid_envelope for %s', (_name, text, message) => {
      const error = catchError(() => parseEnvelope(Buffer.from(text)));

      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).code).toBe('invalid_envelope');
      expect((error as AppError).detail).toContain(message);
    });

    it('throws invalid_envelope for an envelope header that is not UTF-8', () => {
      const body = envelope(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));

      const error = catchError(() => parseEnvelope(body));

      expect((error as AppError).code).toBe('invalid_envelope');
      expect((error as AppError).detail).toBe('Envelope header is not valid UTF-8');
    });
  });

  describe('framing errors', () => {
    it('keeps items before an invalid item header', () => {
      const body = envelope(
        '{}\n',
        '{"type":"event"}\n',
        EVENT_PAYLOAD,
        '\n{"type":"attachment",\n',
        'payload\n',
        '{"type":"session"}\n{}',
      );

      const parsed = parseEnvelope(body);

      expect(parsed.items.map((item) => item.headers.type)).toEqual(['event']);
      expect(parsed.items[0]?.payload.toString()).toBe(EVENT_PAYLOAD);
      expect(parsed.framingError).toBe('Envelope item 1: header is not valid JSON');
    });

    it('reports the index of a later invalid item header', () => {
      const body = envelope('{}\n{"type":"session"}\n{}\n{"type":"session"}\n{}\nnot json\n{}');

      const parsed = parseEnvelope(body);

      expect(parsed.items).toHaveLength(2);
      expect(parsed.framingError).toBe('Envelope item 2: header is not valid JSON');
    });

    it('reports an item header that is a JSON array', () => {
      const parsed = parseEnvelope(envelope('{}\n["event"]\n{}'));

      expect(parsed.framingError).toBe('Envelope item 0: header is not a JSON object');
    });

    it('reports an item header that is not UTF-8', () => {
      const body = envelope(
        '{}\n',
        Buffer.from([0x7b, 0x22, 0xc0, 0x22, 0x3a, 0x31, 0x7d]),
        '\n{}',
      );

      const parsed = parseEnvelope(body);

      expect(parsed.framingError).toBe('Envelope item 0: header is not valid UTF-8');
    });

    it.each([
      ['missing', '{"length":2}'],
      ['a number', '{"type":1}'],
      ['empty', '{"type":""}'],
    ])('reports an item type that is %s', (_name, header) => {
      const parsed = parseEnvelope(envelope(`{}\n${header}\n{}`));

      expect(parsed.items).toEqual([]);
      expect(parsed.framingError).toBe('Envelope item 0: header has no "type" string');
    });

    it.each([
      ['negative', '-1'],
      ['fractional', '1.5'],
      ['a string', '"2"'],
    ])('reports a length that is %s', (_name, length) => {
      const parsed = parseEnvelope(envelope(`{}\n{"type":"event","length":${length}}\n{}`));

      expect(parsed.framingError).toMatch(/^Envelope item 0: header has an invalid "length"/);
    });

    it('reports a length past the end of the body', () => {
      const body = envelope(
        '{}\n{"type":"session"}\n{}\n',
        '{"type":"attachment","length":500}\n',
        'short',
      );

      const parsed = parseEnvelope(body);

      expect(parsed.items.map((item) => item.headers.type)).toEqual(['session']);
      expect(parsed.framingError).toBe(
        'Envelope item 1: length 500 exceeds the 5 bytes left in the envelope',
      );
    });

    it('reports a length shorter than the payload', () => {
      const body = envelope('{}\n{"type":"event","length":10}\n', EVENT_PAYLOAD, '\n');

      const parsed = parseEnvelope(body);

      expect(parsed.items).toEqual([]);
      expect(parsed.framingError).toBe(
        'Envelope item 0: payload of length 10 is not followed by a newline',
      );
    });

    it('reports a length-delimited payload followed by other bytes', () => {
      const body = envelope('{}\n{"type":"attachment","length":2}\nab\r\n');

      const parsed = parseEnvelope(body);

      expect(parsed.framingError).toBe(
        'Envelope item 0: payload of length 2 is not followed by a newline',
      );
    });

    it('reports a header with a length but no payload at the end', () => {
      const parsed = parseEnvelope(envelope('{}\n{"type":"attachment","length":3}'));

      expect(parsed.framingError).toBe(
        'Envelope item 0: length 3 exceeds the 0 bytes left in the envelope',
      );
    });

    it('skips blank lines between items as Relay does', () => {
      // sentry-ruby 5.3 writes each item with a trailing newline and joins items with another.
      const parsed = parseEnvelope(
        envelope('{}\n{"type":"event"}\n{}\n\n{"type":"session"}\n{}\n'),
      );

      expect(parsed.items.map((item) => item.headers.type)).toEqual(['event', 'session']);
      expect(parsed.framingError).toBeUndefined();
    });
  });

  describe('truncated envelopes', () => {
    const full = envelope(
      '{}\n',
      '{"type":"event"}\n',
      EVENT_PAYLOAD,
      '\n{"type":"attachment","length":11}\n',
      'hello world',
      '\n{"type":"session"}\n{"sid":"abc"}',
    );

    it('reports truncation inside a length-delimited payload', () => {
      const cut = full.subarray(0, full.indexOf('hello') + 5);

      const parsed = parseEnvelope(cut);

      expect(parsed.items.map((item) => item.headers.type)).toEqual(['event']);
      expect(parsed.framingError).toBe(
        'Envelope item 1: length 11 exceeds the 5 bytes left in the envelope',
      );
    });

    it('reports truncation inside an item header', () => {
      const cut = full.subarray(0, full.indexOf('{"type":"session"}') + 8);

      const parsed = parseEnvelope(cut);

      expect(parsed.items.map((item) => item.headers.type)).toEqual(['event', 'attachment']);
      expect(parsed.framingError).toBe('Envelope item 2: header is not valid JSON');
    });

    it('returns a truncated payload without length as it is', () => {
      // Framing cannot tell: without length the payload runs to the end of the body.
      const cut = full.subarray(0, full.indexOf(EVENT_PAYLOAD) + 20);

      const parsed = parseEnvelope(cut);

      expect(parsed.framingError).toBeUndefined();
      expect(parsed.items[0]?.payload.toString()).toBe(EVENT_PAYLOAD.slice(0, 20));
    });

    it('never throws for any truncation', () => {
      const headerLength = full.indexOf('\n') + 1;
      const failures: number[] = [];

      for (let end = headerLength; end <= full.length; end++) {
        if (catchError(() => parseEnvelope(full.subarray(0, end))) !== undefined) {
          failures.push(end);
        }
      }

      expect(failures).toEqual([]);
    });
  });

  it('never throws for random item bytes', () => {
    let seed = 12345;
    const nextByte = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 256;
    };
    const failures: number[] = [];

    for (let round = 0; round < 300; round++) {
      const noise = Buffer.from(Array.from({ length: 1 + (round % 64) }, nextByte));
      const body = envelope('{}\n', round % 2 === 0 ? '{"type":"event"}\n' : '', noise);

      if (catchError(() => parseEnvelope(body)) !== undefined) {
        failures.push(round);
      }
    }

    expect(failures).toEqual([]);
  });
});
