import { describe, expect, it } from 'vitest';

import { AppError } from '../../platform/errors.js';
import { authFromDsn, checkDsnMatch, extractAuth, parseDsn, type IngestAuth } from './auth.js';

const KEY = 'e12d836b15bb49d7bbf99e64295d995b';

function catchError(action: () => unknown): AppError | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  return undefined;
}

describe('extractAuth', () => {
  it('reads the X-Sentry-Auth header of sentry-python', () => {
    const auth = extractAuth({
      headers: {
        'x-sentry-auth': `Sentry sentry_key=${KEY}, sentry_version=7, sentry_client=sentry.python/1.9.10`,
        'user-agent': 'sentry.python/1.9.10',
      },
      query: {},
    });

    expect(auth).toEqual({
      publicKey: KEY,
      projectId: undefined,
      sentryVersion: 7,
      client: 'sentry.python/1.9.10',
    });
  });

  it('reads sentry-ruby auth with the key last', () => {
    const auth = extractAuth({
      headers: {
        'x-sentry-auth': `Sentry sentry_version=7, sentry_client=sentry-ruby/5.3.0, sentry_timestamp=1796398814, sentry_key=${KEY}`,
      },
      query: {},
    });

    expect(auth?.publicKey).toBe(KEY);
    expect(auth?.client).toBe('sentry-ruby/5.3.0');
  });

  it('compares the Sentry prefix case-insensitively and trims pairs', () => {
    const auth = extractAuth({
      headers: { 'x-sentry-auth': `  sEnTrY   sentry_key = ${KEY} ,sentry_version=7 ` },
      query: {},
    });

    expect(auth?.publicKey).toBe(KEY);
  });

  it('reads an Authorization header with the Sentry scheme', () => {
    const auth = extractAuth({
      headers: { authorization: `Sentry sentry_key=${KEY}, sentry_version=7` },
      query: {},
    });

    expect(auth?.publicKey).toBe(KEY);
  });

  it('ignores an Authorization header with another scheme', () => {
    const auth = extractAuth({ headers: { authorization: 'Bearer abc' }, query: {} });

    expect(auth).toBeUndefined();
  });

  it('reads the query string of the JavaScript SDKs', () => {
    const auth = extractAuth({
      headers: { 'user-agent': 'Mozilla/5.0' },
      query: {
        sentry_version: '7',
        sentry_key: KEY,
        sentry_client: 'sentry.javascript.browser/11.17.0',
      },
    });

    expect(auth).toEqual({
      publicKey: KEY,
      projectId: undefined,
      sentryVersion: 7,
      client: 'sentry.javascript.browser/11.17.0',
    });
  });

  it('reads the key from the URL path', () => {
    const auth = extractAuth({ headers: {}, query: {}, pathKey: KEY });

    expect(auth?.publicKey).toBe(KEY);
    expect(auth?.sentryVersion).toBe(7);
  });

  it('falls back to the User-Agent header for the client', () => {
    const auth = extractAuth({
      headers: { 'x-sentry-auth': `Sentry sentry_key=${KEY}`, 'user-agent': 'sentry-cli/3.8.0' },
      query: {},
    });

    expect(auth?.client).toBe('sentry-cli/3.8.0');
  });

  it('defaults sentry_version to 7', () => {
    const auth = extractAuth({ headers: {}, query: { sentry_key: KEY } });

    expect(auth?.sentryVersion).toBe(7);
  });

  it('reads only the integer part of sentry_version', () => {
    const auth = extractAuth({ headers: {}, query: { sentry_key: KEY, sentry_version: '5.1' } });

    expect(auth?.sentryVersion).toBe(5);
  });

  it('accepts short keys such as the captures use', () => {
    const auth = extractAuth({ headers: {}, query: { sentry_key: 'publickey' } });

    expect(auth?.publicKey).toBe('publickey');
  });

  it('drops Relay flag suffixes from the key', () => {
    const auth = extractAuth({ headers: {}, query: { sentry_key: `${KEY}.no-cache` } });

    expect(auth?.publicKey).toBe(KEY);
  });

  it('ignores sentry_secret', () => {
    const auth = extractAuth({
      headers: { 'x-sentry-auth': `Sentry sentry_key=${KEY}, sentry_secret=s3cret` },
      query: {},
    });

    expect(JSON.stringify(auth)).not.toContain('s3cret');
  });

  it('treats an empty X-Sentry-Auth header as absent', () => {
    const auth = extractAuth({ headers: { 'x-sentry-auth': ' ' }, query: { sentry_key: KEY } });

    expect(auth?.publicKey).toBe(KEY);
  });

  it('returns undefined without any auth', () => {
    const auth = extractAuth({ headers: { 'user-agent': 'x' }, query: { other: '1' } });

    expect(auth).toBeUndefined();
  });

  it('does not treat other sentry_ query parameters as auth', () => {
    const auth = extractAuth({
      headers: { 'x-sentry-auth': `Sentry sentry_key=${KEY}` },
      query: { sentry_release: '1.0', sentry_environment: 'prod' },
    });

    expect(auth?.publicKey).toBe(KEY);
  });

  describe('errors', () => {
    it.each([
      [
        'header and query',
        { 'x-sentry-auth': `Sentry sentry_key=${KEY}` },
        { sentry_key: KEY },
        undefined,
      ],
      [
        'X-Sentry-Auth and Authorization',
        { 'x-sentry-auth': `Sentry sentry_key=${KEY}`, authorization: `Sentry sentry_key=${KEY}` },
        {},
        undefined,
      ],
      ['query and path', {}, { sentry_key: KEY }, KEY],
      ['header and path', { 'x-sentry-auth': `Sentry sentry_key=${KEY}` }, {}, KEY],
      [
        'a repeated X-Sentry-Auth header',
        { 'x-sentry-auth': ['Sentry sentry_key=a', 'Sentry sentry_key=b'] },
        {},
        undefined,
      ],
    ])('rejects %s with 401', (_name, headers, query, pathKey) => {
      const error = catchError(() =>
        extractAuth({ headers, query, ...(pathKey === undefined ? {} : { pathKey }) }),
      );

      expect(error?.status).toBe(401);
      expect(error?.detail).toMatch(/multiple authorization payloads detected/i);
    });

    it.each([
      ['a missing Sentry prefix', `sentry_key=${KEY}`],
      ['another scheme', `Basic ${KEY}`],
      ['no sentry_key', 'Sentry sentry_version=7'],
      ['an empty sentry_key', 'Sentry sentry_key=, sentry_version=7'],
      ['a non-numeric sentry_version', `Sentry sentry_key=${KEY}, sentry_version=seven`],
    ])('rejects an X-Sentry-Auth header with %s with 401', (_name, header) => {
      const error = catchError(() =>
        extractAuth({ headers: { 'x-sentry-auth': header }, query: {} }),
      );

      expect(error?.status).toBe(401);
      expect(error?.code).toBe('unauthorized');
    });

    it('rejects a repeated sentry_key query parameter with 401', () => {
      const error = catchError(() =>
        extractAuth({ headers: {}, query: { sentry_key: [KEY, KEY] } }),
      );

      expect(error?.status).toBe(401);
    });

    it.each([
      ['a dash', 'abc-def'],
      ['a space', 'abc def'],
      ['65 characters', 'a'.repeat(65)],
      ['non-ASCII letters', 'schlüssel'],
    ])('rejects a key with %s with 400', (_name, key) => {
      const error = catchError(() => extractAuth({ headers: {}, query: { sentry_key: key } }));

      expect(error?.status).toBe(400);
      expect(error?.code).toBe('bad_request');
    });
  });
});

describe('parseDsn', () => {
  it('parses a DSN with an empty secret, as in the Sentry docs', () => {
    expect(parseDsn(`https://${KEY}:@sentry.io/42`)).toEqual({ publicKey: KEY, projectId: 42 });
  });

  it('parses a DSN with a port and a path prefix', () => {
    expect(parseDsn('http://publickey@127.0.0.1:18765/sentry/42')).toEqual({
      publicKey: 'publickey',
      projectId: 42,
    });
  });

  it('accepts a trailing slash after the project id', () => {
    expect(parseDsn(`https://${KEY}@o1.ingest.sentry.io/42/`).projectId).toBe(42);
  });

  it('parses an IPv6 host', () => {
    expect(parseDsn(`http://${KEY}@[::1]:9000/7`).projectId).toBe(7);
  });

  it.each([
    ['text that is not a URL', 'not a dsn'],
    ['another scheme', `ftp://${KEY}@host/42`],
    ['no public key', 'https://host/42'],
    ['no project id', `https://${KEY}@host/`],
    ['a non-numeric project id', `https://${KEY}@host/abc`],
    ['an invalid key', 'https://bad-key@host/42'],
  ])('rejects %s with 400', (_name, dsn) => {
    const error = catchError(() => parseDsn(dsn));

    expect(error?.status).toBe(400);
    expect(error?.code).toBe('bad_request');
  });

  it('keeps the secret key out of error messages', () => {
    const error = catchError(() => parseDsn(`https://${KEY}:topsecret@host/abc`));

    expect(error?.detail).not.toContain('topsecret');
  });
});

describe('authFromDsn', () => {
  it('takes the key and project id from the DSN', () => {
    expect(authFromDsn(`https://${KEY}@host/42`)).toEqual({
      publicKey: KEY,
      projectId: 42,
      sentryVersion: 7,
      client: undefined,
    });
  });
});

describe('checkDsnMatch', () => {
  const requestAuth: IngestAuth = {
    publicKey: KEY,
    projectId: undefined,
    sentryVersion: 7,
    client: undefined,
  };

  it('accepts a DSN with the same key', () => {
    expect(catchError(() => checkDsnMatch(requestAuth, `https://${KEY}@host/42`))).toBeUndefined();
  });

  it('accepts a DSN with the same key and request project id', () => {
    expect(
      catchError(() => checkDsnMatch(requestAuth, `https://${KEY}@host/42`, 42)),
    ).toBeUndefined();
  });

  it('rejects a DSN with another key', () => {
    const error = catchError(() => checkDsnMatch(requestAuth, 'https://otherkey@host/42'));

    expect(error?.status).toBe(400);
    expect(error?.detail).toMatch(/^Public key header mismatch between envelope and request/);
  });

  it('rejects a DSN with another project than the request', () => {
    const error = catchError(() => checkDsnMatch(requestAuth, `https://${KEY}@host/43`, 42));

    expect(error?.status).toBe(400);
    expect(error?.detail).toMatch(/^Project id header mismatch between envelope and request/);
  });

  it('rejects a DSN with another project than the auth', () => {
    const error = catchError(() =>
      checkDsnMatch({ ...requestAuth, projectId: 41 }, `https://${KEY}@host/43`),
    );

    expect(error?.detail).toMatch(/^Project id header mismatch/);
  });

  it('rejects a malformed DSN with 400', () => {
    const error = catchError(() => checkDsnMatch(requestAuth, 'garbage'));

    expect(error?.status).toBe(400);
  });
});
