import type { Context, EventUser, NormalizedEvent } from './event-types.js';
import { MAX_CHARS } from './normalize-values.js';

/**
 * Context types that produce tags, with the fields that make up the main tag value. Sentry's
 * context interfaces tag `<key>` with `name version` and `<key>.name` with the name; `device`
 * is tagged with its model and `device.family`.
 */
const CONTEXT_TAG_TYPES = new Set(['browser', 'os', 'runtime']);

/**
 * Returns the tags Sentry stores for an event: the ones it derives (`level`, `release`,
 * `environment`, `user`, `url`, `browser`, `handled`, ...) plus the event's own tags, each key
 * once. Derived keys that Sentry sets itself override a client tag of the same name, while
 * context and interface tags (`browser`, `os`, `url`, `handled`, ...) yield to a client tag.
 */
export function extractTags(event: NormalizedEvent): [string, string][] {
  const tags = new Map<string, string>();
  const put = (key: string, value: string | undefined, override: boolean): void => {
    if (value === undefined || value === '' || value.length > MAX_CHARS.tagValue) {
      return;
    }

    if (override || !tags.has(key)) {
      tags.set(key, value);
    }
  };

  put('level', event.level, true);
  put('logger', event.logger, true);
  put('environment', event.environment, true);
  put('transaction', event.transaction, true);
  put('release', event.release, true);
  put('dist', event.release === undefined ? undefined : event.dist, true);
  put('server_name', event.server_name, true);
  put('user', getUserTagValue(event.user), true);

  for (const [key, value] of event.tags) {
    put(key, value, false);
  }

  put('url', event.request?.url, false);

  for (const [key, value] of contextTags(event.contexts)) {
    put(key, value, false);
  }

  for (const [key, value] of mechanismTags(event)) {
    put(key, value, false);
  }

  return [...tags.entries()];
}

/**
 * Sentry's `sentry:user` tag value: `id:`, `email:`, `username:` or `ip:` followed by the first
 * of those the user has.
 */
export function getUserTagValue(user: EventUser | undefined): string | undefined {
  if (user === undefined) {
    return undefined;
  }

  if (user.id !== undefined) {
    return `id:${user.id}`;
  }

  if (user.email !== undefined) {
    return `email:${user.email}`;
  }

  if (user.username !== undefined) {
    return `username:${user.username}`;
  }

  return user.ip_address === undefined ? undefined : `ip:${user.ip_address}`;
}

function stringField(context: Context, key: string): string | undefined {
  const value = context[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function contextTags(contexts: Record<string, Context>): [string, string | undefined][] {
  const tags: [string, string | undefined][] = [];

  for (const [key, context] of Object.entries(contexts)) {
    if (CONTEXT_TAG_TYPES.has(context.type)) {
      const name = stringField(context, 'name');
      const version = stringField(context, 'version');
      tags.push([key, name === undefined ? undefined : [name, version].filter(Boolean).join(' ')]);
      tags.push([`${key}.name`, name]);
    } else if (context.type === 'device') {
      tags.push([key, stringField(context, 'model')]);
      tags.push([`${key}.family`, stringField(context, 'family')]);
    }
  }

  return tags;
}

/**
 * Returns the `mechanism` and `handled` tags. Sentry's `Exception.iter_tags` reads them from the first
 * entry of `exception.values`, so that is the one used here too.
 */
function mechanismTags(event: NormalizedEvent): [string, string | undefined][] {
  const mechanism = event.exception?.values[0]?.mechanism;

  if (mechanism === undefined) {
    return [];
  }

  let handled: string | undefined;

  if (mechanism.handled !== undefined) {
    handled = mechanism.handled ? 'yes' : 'no';
  }

  return [
    ['mechanism', mechanism.type],
    ['handled', handled],
  ];
}
