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
 * Reads the `{field: [message]}` body of a 400 response. Messages nested under an index or a
 * sub-field (`{"actions": [{"url": ["…"]}]}`) are flattened into their top-level field. Returns
 * null for other failures.
 */
export function readFieldErrors(error: unknown): FieldErrors | null {
  if (!isRequestError(error, 400) || typeof error.body !== 'object' || error.body === null) {
    return null;
  }

  const errors: FieldErrors = {};
  for (const [field, value] of Object.entries(error.body)) {
    const messages = collectMessages(value);
    if (messages.length > 0) {
      errors[field] = messages;
    }
  }
  return Object.keys(errors).length === 0 ? null : errors;
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

/** Returns the messages of fields that have no place in the form, such as `detail`, as text. */
export function otherErrorMessages(errors: FieldErrors): string[] {
  const placed = new Set<string>(FORM_FIELDS);
  return Object.entries(errors).flatMap(([field, messages]) =>
    placed.has(field)
      ? []
      : messages.map((message) => (field === 'detail' ? message : `${field}: ${message}`)),
  );
}
