export interface SetupSnippet {
  /** Platform id the snippet is for, matching the project's platform. */
  platform: string;
  title: string;
  install: string;
  code: string;
}

/**
 * Builds the SDK setup snippets for a DSN. The DSN is embedded with JSON.stringify, which
 * quotes it correctly for JavaScript and Python alike.
 */
export function buildSetupSnippets(dsn: string): SetupSnippet[] {
  const quotedDsn = JSON.stringify(dsn);

  return [
    {
      platform: 'javascript',
      title: 'Browser JavaScript',
      install: 'npm install @sentry/browser',
      code: [
        "import * as Sentry from '@sentry/browser';",
        '',
        'Sentry.init({',
        `  dsn: ${quotedDsn},`,
        '});',
        '',
        "Sentry.captureException(new Error('Picket test error'));",
      ].join('\n'),
    },
    {
      platform: 'node',
      title: 'Node.js',
      install: 'npm install @sentry/node',
      code: [
        "const Sentry = require('@sentry/node');",
        '',
        'Sentry.init({',
        `  dsn: ${quotedDsn},`,
        '});',
        '',
        "Sentry.captureException(new Error('Picket test error'));",
      ].join('\n'),
    },
    {
      platform: 'python',
      title: 'Python',
      install: 'pip install sentry-sdk',
      code: [
        'import sentry_sdk',
        '',
        `sentry_sdk.init(dsn=${quotedDsn})`,
        '',
        'division_by_zero = 1 / 0',
      ].join('\n'),
    },
  ];
}

/** Puts the snippet for the project's platform first and keeps the others in their order. */
export function orderSnippetsForPlatform(
  snippets: SetupSnippet[],
  platform: string | null,
): SetupSnippet[] {
  const preferred = snippets.filter((snippet) => snippet.platform === platform);
  const others = snippets.filter((snippet) => snippet.platform !== platform);
  return [...preferred, ...others];
}
