import type { JsonValue, NormalizedEvent } from '../processing/event-types.js';

import { type GroupingComponent, createComponent } from './grouping-component.js';
import { normalizeMessageForGrouping } from './parameterize-message.js';
import type { ComponentsByVariant } from './stacktrace-component.js';

/** Builds the `default` variant from the message, as Sentry's `message:v1` strategy. */
export function messageComponents(event: NormalizedEvent): ComponentsByVariant {
  if (event.message === undefined) {
    return {};
  }

  const raw = event.message.message ?? event.message.formatted;
  const normalized = normalizeMessageForGrouping(raw);
  const hint = normalized === raw ? null : 'stripped event-specific values';

  return { default: createComponent('message', [normalized], { hint }) };
}

/** Security report interfaces in Sentry's strategy order, with the salt of each. */
export const SECURITY_STRATEGIES = [
  ['csp', 'csp'],
  ['hpkp', 'hpkp'],
  ['expectstaple', 'expect-staple'],
  ['expectct', 'expect-ct'],
] as const;

function stringValue(report: Record<string, JsonValue>, key: string): string | undefined {
  const value = report[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Local script sources that a CSP reports instead of a URL. */
const LOCAL_SOURCES = new Set([
  "'self'",
  'self',
  "'unsafe-inline'",
  'inline',
  "'unsafe-eval'",
  'eval',
]);

function cspComponent(report: Record<string, JsonValue>): GroupingComponent {
  const directive =
    stringValue(report, 'effective_directive') ??
    stringValue(report, 'violated_directive')?.split(' ')[0] ??
    '';
  const blocked = stringValue(report, 'blocked_uri') ?? '';
  const isLocal = blocked === '' || LOCAL_SOURCES.has(blocked);
  const salt = createComponent('salt', [directive], { hint: 'a static salt' });

  if (!isLocal) {
    const host = blocked.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? blocked;
    const violation = createComponent('violation', [], { hint: 'not a local script violation' });
    return createComponent('csp', [salt, violation, createComponent('uri', [host])]);
  }

  const source = blocked === '' ? "'self'" : blocked;
  return createComponent('csp', [
    salt,
    createComponent('violation', [source]),
    createComponent('uri'),
  ]);
}

/**
 * Builds the `default` variant for a security report: the report kind (or, for CSP, the
 * directive) as a salt, then the hostname or blocked URI.
 *
 * Sentry's CSP strategy distinguishes more local-violation kinds and origins than this one.
 */
export function securityComponents(
  event: NormalizedEvent,
  name: (typeof SECURITY_STRATEGIES)[number][0],
  salt: string,
): ComponentsByVariant {
  const report = event.security?.[name];

  if (report === undefined) {
    return {};
  }

  if (name === 'csp') {
    return { default: cspComponent(report) };
  }

  const hostname = stringValue(report, 'hostname');
  return {
    default: createComponent(name, [
      createComponent('salt', [salt], { hint: 'a static salt' }),
      createComponent('hostname', hostname === undefined ? [] : [hostname]),
    ]),
  };
}
