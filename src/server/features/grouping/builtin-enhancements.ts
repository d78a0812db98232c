import type {
  EnhancementRule,
  FrameMatcher,
  MatcherKey,
  RuleAction,
} from './enhancement-parser.js';

/**
 * Built-in stack-trace rules: which frames are never the application's own code and which
 * frames never take part in grouping. They restate the SDK-specific decisions of Sentry's
 * default enhancement base (all-platforms 2023-01-11) for JavaScript, Node, Python, Go, the JVM
 * and Dart.
 *
 * NOTE: Sentry's base also contains some 200 rules for native frames (frame categories such as
 * system, throw, threadbase and malloc, and the grouping decisions built on them). Only the
 * indirection rules for C++ lambdas are here, so native grouping can differ from Sentry's.
 */

const NOT_APP: RuleAction = { kind: 'flag', flag: 'app', value: false, range: undefined };
const NOT_APP_UP: RuleAction = { kind: 'flag', flag: 'app', value: false, range: 'up' };
const NO_GROUP: RuleAction = { kind: 'flag', flag: 'group', value: false, range: undefined };

function defineRule(matchers: [MatcherKey, string][], actions: RuleAction[]): EnhancementRule {
  const frameMatchers: FrameMatcher[] = matchers.map(([key, pattern]) => ({
    key,
    pattern,
    negated: false,
  }));
  const actionText = actions
    .map((action) =>
      action.kind === 'flag'
        ? `${action.range === 'up' ? '^' : action.range === 'down' ? 'v' : ''}${action.value ? '+' : '-'}${action.flag}`
        : `${action.name}=${action.value}`,
    )
    .join(' ');

  return {
    matchers: frameMatchers,
    callerMatchers: [],
    calleeMatchers: [],
    actions,
    text: `${matchers.map(([key, pattern]) => `${key}:${pattern}`).join(' ')} ${actionText}`,
  };
}

const NOT_APP_PATHS = [
  '**/vendor/**',
  '**/site-packages/**',
  '**/dist-packages/**',
  '**/node_modules/**',
  '**https://unpkg.com/**',
  '**https://cdnjs.cloudflare.com/**',
  '**https://cdn.jsdelivr.net/**',
  '**https://esm.run/**',
  '**/go/pkg/mod/**',
];

/** Transpiler helpers and polyfills: noise in every stack, so they never group. */
const POLYFILL_MODULES = ['@babel/**', 'core-js/**', 'regenerator-runtime/**', 'tslib/**'];

/** Node's task-queue plumbing that appears under every async stack. */
const NODE_QUEUE_FUNCTIONS = [
  'runMicrotasks',
  'queueMicrotask',
  'processTicksAndRejections',
  'runNextTicks',
  'nextTick',
];

/** JVM framework packages (Sentry's `category=framework`), which are never in-app. */
const JVM_FRAMEWORK_MODULES = [
  'akka.*',
  'com.fasterxml.*',
  'com.microsoft.*',
  'com.sun.*',
  'feign.*',
  'io.opentelemetry.*',
  'io.sentry.*',
  'jdk.*',
  'oauth.*',
  'org.apache.*',
  'org.glassfish.*',
  'org.jboss.*',
  'org.jdesktop.*',
  'org.postgresql.*',
  'org.springframework.*',
  'org.web3j.*',
  'reactor.core.*',
  'scala.*',
  'sun.*',
  'kotlin.*',
  'kotlinx.*',
  'io.ktor.*',
  'io.netty.*',
];

/** Sentry's Dart and Flutter SDK packages, which are neither in-app nor grouped. */
const DART_SENTRY_PACKAGES = [
  'sentry',
  'sentry_flutter',
  'sentry_logging',
  'sentry_dio',
  'sentry_file',
  'sentry_hive',
  'sentry_isar',
  'sentry_sqflite',
  'sentry_drift',
];

export const BUILTIN_ENHANCEMENTS: EnhancementRule[] = [
  defineRule(
    [
      ['family', 'javascript'],
      ['path', 'org-dartlang-sdk:///**'],
    ],
    [NOT_APP, NO_GROUP],
  ),
  defineRule(
    [
      ['family', 'javascript'],
      ['module', '**/packages/flutter/**'],
    ],
    [NOT_APP],
  ),
  ...DART_SENTRY_PACKAGES.map((name) =>
    defineRule([['path', `package:${name}/**`]], [NOT_APP, NO_GROUP]),
  ),
  defineRule(
    [
      ['family', 'native'],
      ['path', '**/.pub-cache/**'],
    ],
    [NOT_APP],
  ),
  ...NOT_APP_PATHS.map((pattern) => defineRule([['path', pattern]], [NOT_APP])),
  defineRule([['module', 'unpkg/**']], [NOT_APP]),
  defineRule(
    [
      ['family', 'javascript'],
      ['function', 'reportError'],
    ],
    [NOT_APP_UP, NOT_APP],
  ),
  ...POLYFILL_MODULES.map((pattern) => defineRule([['module', pattern]], [NOT_APP, NO_GROUP])),
  defineRule(
    [
      ['family', 'javascript'],
      ['function', '_callSuper'],
    ],
    [NOT_APP, NO_GROUP],
  ),
  ...NODE_QUEUE_FUNCTIONS.map((name) => defineRule([['function', name]], [NOT_APP, NO_GROUP])),
  ...JVM_FRAMEWORK_MODULES.map((pattern) => defineRule([['module', pattern]], [NOT_APP])),
  defineRule([['module', 'io.sentry.*']], [NO_GROUP]),
  defineRule([['module', 'newrelic']], [NOT_APP, NO_GROUP]),
  defineRule([['path', '**/*newrelic*/**']], [NOT_APP, NO_GROUP]),
  defineRule([['path', '**/*LogRocket*/**']], [NOT_APP, NO_GROUP]),
  defineRule(
    [
      ['family', 'native'],
      ['function', '*::operator()*'],
    ],
    [NO_GROUP],
  ),
  defineRule(
    [
      ['family', 'native'],
      ['function', '*<lambda>*'],
    ],
    [NO_GROUP],
  ),
];
