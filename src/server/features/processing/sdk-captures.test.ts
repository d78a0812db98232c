import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { computeGrouping } from '../grouping/compute-grouping.js';

import { extractTags } from './event-tags.js';
import { summarizeEvent } from './event-summary.js';
import type { NormalizedEvent } from './event-types.js';
import { normalizeEvent } from './normalize.js';

/** Recordings of real SDK requests, committed as test fixtures. */
const CAPTURES_DIR = fileURLToPath(
  new URL('../../../../test/fixtures/sdk-captures', import.meta.url),
);
const CLIENT_IP = '203.0.113.7';

interface Capture {
  received_at?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  envelope?: {
    header: Record<string, unknown>;
    items: { header: { type?: string }; payload: unknown }[];
  };
  json?: Record<string, unknown>;
}

function sentryClient(capture: Capture): string | undefined {
  const auth = capture.headers?.['x-sentry-auth'];
  return capture.query?.sentry_client ?? /sentry_client=([^,\s]+)/.exec(auth ?? '')?.[1];
}

/** Loads a capture and normalizes its event payload the way the ingest path does. */
function loadEvent(file: string): NormalizedEvent {
  const capture = JSON.parse(readFileSync(join(CAPTURES_DIR, file), 'utf8')) as Capture;
  const payload =
    capture.envelope?.items.find((item) => item.header.type === 'event')?.payload ?? capture.json;
  const header = capture.envelope?.header ?? {};

  return normalizeEvent(payload as Record<string, unknown>, {
    eventId: typeof header.event_id === 'string' ? header.event_id : undefined,
    receivedAt: Date.parse(capture.received_at ?? '2026-12-04T15:40:00Z'),
    sentAt: typeof header.sent_at === 'string' ? header.sent_at : undefined,
    clientIp: CLIENT_IP,
    client: sentryClient(capture),
  });
}

function tagValue(event: NormalizedEvent, key: string): string | undefined {
  return extractTags(event).find(([tag]) => tag === key)?.[1];
}

function inAppFunctions(event: NormalizedEvent): (string | undefined)[] {
  const frames = event.exception?.values.at(-1)?.stacktrace?.frames ?? [];
  return frames.filter((frame) => frame.in_app === true).map((frame) => frame.function);
}

interface ErrorCase {
  file: string;
  type: string;
  value: string;
  title: string;
  culprit: string;
  inApp: (string | undefined)[];
  release: string;
  environment: string;
  handled: string | undefined;
}

const ERROR_CASES: ErrorCase[] = [
  {
    file: 'node/002-envelope-event-exception.json',
    type: 'TypeError',
    value: 'cannot compute total of an empty order',
    title: 'TypeError: cannot compute total of an empty order',
    culprit: 'computeTotal(app)',
    inApp: ['Object.?', 'main', 'parseOrder', 'validateOrder', 'computeTotal'],
    release: 'node-capture@1.0.0',
    environment: 'capture',
    handled: 'yes',
  },
  {
    file: 'node/017-envelope-event-exception-gzip.json',
    type: 'Error',
    value: 'large payload',
    title: 'Error: large payload',
    culprit: 'main(app)',
    inApp: ['main'],
    release: 'node-capture@1.0.0',
    environment: 'capture',
    handled: 'yes',
  },
  {
    file: 'node-crash/002-envelope-event-unhandled-exception.json',
    type: 'SyntaxError',
    value: "Expected property name or '}' in JSON at position 1",
    title: "SyntaxError: Expected property name or '}' in JSON at position 1",
    culprit: 'loadConfig(crash)',
    inApp: ['Timeout._onTimeout', 'loadConfig'],
    release: 'node-capture@1.0.0',
    environment: 'capture',
    handled: 'no',
  },
  {
    file: 'browser/004-envelope-event-exception.json',
    type: 'RangeError',
    value: 'cart is empty (0 items)',
    title: 'RangeError: cart is empty (0 items)',
    culprit: '/',
    inApp: ['HTMLButtonElement.r', 'HTMLButtonElement.<anonymous>', '$_', 'aT', 'sT'],
    release: 'browser-capture@1.0.0',
    environment: 'capture',
    handled: 'yes',
  },
  {
    file: 'browser/006-envelope-event-unhandled-exception.json',
    type: 'RangeError',
    value: 'cart is empty (0 items)',
    title: 'RangeError: cart is empty (0 items)',
    culprit: '/',
    inApp: ['r', undefined, '$_', 'aT', 'sT'],
    release: 'browser-capture@1.0.0',
    environment: 'capture',
    handled: 'no',
  },
  {
    file: 'python/001-store-event-exception-gzip.json',
    type: 'ZeroDivisionError',
    value: 'division by zero',
    title: 'ZeroDivisionError: division by zero',
    culprit: '__main__ in compute_total',
    inApp: ['<module>', 'parse_order', 'validate_order', 'compute_total'],
    release: 'python-capture@1.0.0',
    environment: 'capture',
    handled: undefined,
  },
  {
    file: 'python/004-store-event-exception-gzip.json',
    type: 'ZeroDivisionError',
    value: 'division by zero',
    title: 'ZeroDivisionError: division by zero',
    culprit: 'process-order',
    inApp: ['<module>', 'parse_order', 'validate_order', 'compute_total'],
    release: 'python-capture@1.0.0',
    environment: 'capture',
    handled: undefined,
  },
  {
    file: 'ruby/001-envelope-event-exception.json',
    type: 'ZeroDivisionError',
    value: 'divided by 0',
    title: 'ZeroDivisionError: divided by 0',
    culprit: 'app.rb in /',
    inApp: ['<main>', 'parse_order', 'validate_order', 'compute_total', '/'],
    release: 'ruby-capture@1.0.0',
    environment: 'capture',
    handled: undefined,
  },
  {
    file: 'ruby/005-envelope-event-exception.json',
    type: 'ZeroDivisionError',
    value: 'divided by 0',
    title: 'ZeroDivisionError: divided by 0',
    culprit: 'app.rb in /',
    inApp: ['<main>', 'block in <main>', 'parse_order', 'validate_order', 'compute_total', '/'],
    release: 'ruby-capture@1.0.0',
    environment: 'capture',
    handled: undefined,
  },
];

describe('SDK capture error events', () => {
  it.each(ERROR_CASES)('normalizes, summarizes, tags and groups $file', (testCase) => {
    const event = loadEvent(testCase.file);
    const exception = event.exception?.values.at(-1);
    const summary = summarizeEvent(event);
    const grouping = computeGrouping(event);

    expect(event.type).toBe('error');
    expect(event.errors).toEqual([]);
    expect(exception?.type).toBe(testCase.type);
    expect(exception?.value).toBe(testCase.value);
    expect(summary.title).toBe(testCase.title);
    expect(summary.culprit).toBe(testCase.culprit);
    expect(summary.metadata.type).toBe(testCase.type);
    expect(inAppFunctions(event)).toEqual(testCase.inApp);
    expect(event.release).toBe(testCase.release);
    expect(event.environment).toBe(testCase.environment);
    expect(tagValue(event, 'release')).toBe(testCase.release);
    expect(tagValue(event, 'environment')).toBe(testCase.environment);
    expect(tagValue(event, 'level')).toBe(event.level);
    expect(tagValue(event, 'handled')).toBe(testCase.handled);
    expect(grouping.variants.app?.contributes).toBe(true);
    expect(grouping.hashes[0]).toBe(grouping.variants.app?.hash);
    expect(grouping.hashes.every((hash) => /^[0-9a-f]{32}$/.test(hash))).toBe(true);
  });

  it('keeps the envelope event id and the SDK timestamp of a node event', () => {
    const event = loadEvent('node/002-envelope-event-exception.json');

    expect(event.event_id).toBe('42e3963a87984d04bbac7beedde83ca5');
    expect(event.timestamp).toBe(1796398645.016);
    expect(event.platform).toBe('node');
    expect(event.sdk).toMatchObject({ name: 'sentry.javascript.node', version: '11.12.0' });
    expect(event.breadcrumbs?.values[0]).toMatchObject({
      type: 'default',
      level: 'info',
      category: 'console',
    });
  });

  it('tags the node runtime and os from contexts', () => {
    const event = loadEvent('node/002-envelope-event-exception.json');

    expect(tagValue(event, 'runtime')).toBe('node v20.20.2');
    expect(tagValue(event, 'runtime.name')).toBe('node');
    expect(tagValue(event, 'os.name')).toBe('Debian');
    expect(tagValue(event, 'server_name')).toBe('sdk-capture-host');
    expect(tagValue(event, 'mechanism')).toBe('generic');
  });

  it('titles a node captureMessage event by its message', () => {
    const event = loadEvent('node/003-envelope-event-message.json');
    const summary = summarizeEvent(event);

    expect(event.level).toBe('warning');
    expect(event.exception?.values[0]?.mechanism?.synthetic).toBe(true);
    expect(summary.title).toBe('Payment provider slow');
    expect(summary.culprit).toBe('');
    expect(summary.metadata.type).toBeUndefined();
    expect(event.user).toEqual({ id: '42', email: 'jane@example.com', username: 'jane' });
    expect(tagValue(event, 'user')).toBe('id:42');
    expect(tagValue(event, 'feature')).toBe('checkout');
    expect(tagValue(event, 'tier')).toBe('gold');
  });

  it('derives browser context, url and inferred IP for a browser event', () => {
    const event = loadEvent('browser/006-envelope-event-unhandled-exception.json');

    expect(event.user?.ip_address).toBe(CLIENT_IP);
    expect(event.request?.url).toBe('http://127.0.0.1:18766/');
    expect(event.request?.query_string).toEqual([['debug', '1']]);
    expect(tagValue(event, 'url')).toBe('http://127.0.0.1:18766/');
    expect(tagValue(event, 'browser.name')).toBe('HeadlessChrome');
    expect(tagValue(event, 'browser')).toBe('HeadlessChrome 156.0.0');
    expect(tagValue(event, 'user')).toBe(`ip:${CLIENT_IP}`);
    expect(tagValue(event, 'transaction')).toBe('/');
  });

  it('groups the handled and the unhandled browser error together', () => {
    const handled = computeGrouping(loadEvent('browser/004-envelope-event-exception.json'));
    const unhandled = computeGrouping(
      loadEvent('browser/006-envelope-event-unhandled-exception.json'),
    );

    expect(unhandled.hashes[0]).toBe(handled.hashes[0]);
  });

  it('groups the two python ZeroDivisionError events together', () => {
    const first = computeGrouping(loadEvent('python/001-store-event-exception-gzip.json'));
    const second = computeGrouping(loadEvent('python/004-store-event-exception-gzip.json'));

    expect(first.hashes).toEqual(second.hashes);
    expect(first.hashes).toHaveLength(1);
  });

  it('parses the python ISO timestamp with microseconds', () => {
    const event = loadEvent('python/001-store-event-exception-gzip.json');

    expect(event.timestamp).toBeCloseTo(
      Date.parse('2026-12-04T15:39:48.127Z') / 1000 + 0.000285,
      6,
    );
    expect(event.sdk).toMatchObject({ name: 'sentry.python', version: '1.9.10' });
  });

  it.each([
    ['python/002-store-event-message-gzip.json', 'Payment provider slow', 'warning'],
    ['python/006-store-event-message-gzip.json', 'large payload', 'info'],
    ['ruby/002-envelope-event-message.json', 'Payment provider slow', 'warning'],
    ['sentry-cli-misc/002-envelope-event-message.json', 'hello from sentry-cli', 'error'],
  ])('titles the message event %s', (file, title, level) => {
    const event = loadEvent(file);
    const summary = summarizeEvent(event);

    expect(event.type).toBe('default');
    expect(event.level).toBe(level);
    expect(summary.title).toBe(title);
    expect(summary.metadata).toEqual({ title });
    expect(computeGrouping(event).hashes.length).toBeGreaterThan(0);
  });

  it('groups the python message by its text', () => {
    const event = loadEvent('python/002-store-event-message-gzip.json');
    const grouping = computeGrouping(event);

    expect(grouping.variants.default?.contributes).toBe(true);
    expect(grouping.variants.default?.component?.values[0]).toMatchObject({
      id: 'message',
      values: ['Payment provider slow'],
    });
  });

  it('fills the sentry-cli user IP and keeps its tags and release', () => {
    const event = loadEvent('sentry-cli-misc/002-envelope-event-message.json');

    expect(event.event_id).toBe('2306398534114760b9efdf97ca751921');
    expect(event.user).toEqual({ username: 'user', ip_address: CLIENT_IP });
    expect(event.release).toBe('1.0');
    expect(event.environment).toBe('production');
    expect(tagValue(event, 'k')).toBe('v');
    expect(tagValue(event, 'user')).toBe('username:user');
    expect(event.contexts.rust?.type).toBe('runtime');
  });

  it('groups a ruby message by the thread stack trace', () => {
    const grouping = computeGrouping(loadEvent('ruby/002-envelope-event-message.json'));

    expect(grouping.variants.app?.description).toBe('in-app threads stack-trace');
    expect(grouping.variants.default?.contributes).toBe(false);
  });
});
