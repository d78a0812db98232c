import { isRequestError } from '../../lib/api-client';

/** Sentry's validation errors: messages per field of the request body. */
export type FieldErrors = Record<string, string[]>;

/** Fields of the rule form that show their errors beside their input. */
export const FORM_FIELDS = [
  'name',
  'environment',
  'actionMatch',
  'filterMatch',
  'frequency',
  'conditions',
  'filters',
  'actions',
  'status',
] as const;

/**
 * Reads the `{field: [message]}` body of a 400 response. Keys of nested fields, such as
 * `actions.0.url`, go under their top-level field with the place in front of the message
 * ("Action 1 url: …"), and so do messages nested in lists or objects. Returns null for other
 * failures.
 */
export function readFieldErrors(error: unknown): FieldErrors | null {
  if (!isRequestError(error, 400) || typeof error.body !== 'object' || error.body === null) {
    return null;
  }

  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(error.body)) {
    // Picket's error body also carries `detail`, a summary of the same messages, and `code`.
    if (key === 'detail' || key === 'code') {
      continue;
    }
    const [field = key, ...path] = key.split('.');
    const place = describePlace(field, path);
    const messages = collectMessages(value).map((message) =>
      place === '' ? message : `${place}: ${message}`,
    );
    if (messages.length > 0) {
      errors[field] = [...(errors[field] ?? []), ...messages];
    }
  }
  return Object.keys(errors).length === 0 ? null : errors;
}

const ROW_NOUNS: Record<string, string> = {
  conditions: 'Condition',
  filters: 'Filter',
  actions: 'Action',
};

function describePlace(field: string, path: string[]): string {
  const [index, ...rest] = path;
  const noun = ROW_NOUNS[field];
  if (noun !== undefined && index !== undefined && /^\d+$/.test(index)) {
    return [`${noun} ${Number(index) + 1}`, ...rest].join(' ');
  }
  return path.join('.');
}

function collectMessages(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(collectMessages);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap(collectMessages);
  }
  return [];
}

/** Returns the messages of fields that have no place in the form, such as `owner`, as text. */
export function otherErrorMessages(errors: FieldErrors): string[] {
  const placed = new Set<string>(FORM_FIELDS);
  return Object.entries(errors).flatMap(([field, messages]) =>
    placed.has(field) ? [] : messages.map((message) => `${field}: ${message}`),
  );
}
