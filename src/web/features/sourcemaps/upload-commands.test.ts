import { describe, expect, it } from 'vitest';

import {
  buildCliEnvironment,
  buildFolderNote,
  buildInjectCommand,
  buildUploadCommand,
  shellQuote,
} from './upload-commands';

const TARGET = { orgSlug: 'acme', projectSlug: 'web' };

describe('shellQuote', () => {
  it('leaves safe values bare', () => {
    expect(shellQuote('shop@1.4.2+build.7')).toBe('shop@1.4.2+build.7');
  });

  it('quotes a tilde path', () => {
    expect(shellQuote('~/assets')).toBe("'~/assets'");
  });

  it('quotes spaces and shell syntax', () => {
    expect(shellQuote('1.0 $(rm -rf /)')).toBe("'1.0 $(rm -rf /)'");
  });

  it('escapes a single quote', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('quotes an empty value', () => {
    expect(shellQuote('')).toBe("''");
  });
});

describe('buildUploadCommand', () => {
  it('fills in the organization and project', () => {
    expect(buildUploadCommand({ target: TARGET })).toBe(
      'sentry-cli sourcemaps upload --wait --org acme --project web ./dist',
    );
  });

  it('adds the release, distribution and URL prefix', () => {
    expect(
      buildUploadCommand({ target: TARGET, release: 'shop@2', dist: 'ios', urlPrefix: '~/assets' }),
    ).toBe(
      "sentry-cli sourcemaps upload --wait --org acme --project web --release shop@2 --dist ios --url-prefix '~/assets' ./dist",
    );
  });

  it('leaves out a distribution without a release', () => {
    expect(buildUploadCommand({ target: TARGET, dist: 'ios' })).not.toContain('--dist');
  });

  it('leaves out the organization and project without a target', () => {
    expect(buildUploadCommand({ target: null, validate: true })).toBe(
      'sentry-cli sourcemaps upload --wait --validate ./dist',
    );
  });

  it('waits for the server in every variant', () => {
    const commands = [
      buildUploadCommand({ target: TARGET }),
      buildUploadCommand({ target: null }),
      buildUploadCommand({ target: TARGET, release: 'shop@2', urlPrefix: '~/assets' }),
    ];

    for (const command of commands) {
      expect(command).toMatch(/^sentry-cli sourcemaps upload --wait /);
    }
  });

  it('quotes a release with shell syntax', () => {
    expect(buildUploadCommand({ target: TARGET, release: 'a;b' })).toContain("--release 'a;b'");
  });
});

describe('buildInjectCommand', () => {
  it('injects into the build folder', () => {
    expect(buildInjectCommand()).toBe('sentry-cli sourcemaps inject ./dist');
  });
});

describe('buildCliEnvironment', () => {
  it('points sentry-cli at the server with a trailing slash', () => {
    expect(buildCliEnvironment('http://127.0.0.1:8000')).toBe(
      'export SENTRY_URL=http://127.0.0.1:8000/\nexport SENTRY_AUTH_TOKEN=your-api-token',
    );
  });
});

describe('buildFolderNote', () => {
  it('names the file whose folder to upload', () => {
    expect(buildFolderNote('app.min.js')).toContainEqual({ code: 'app.min.js' });
  });
});
