import type { EventContext } from '../../../shared/api/events';
import type { KeyValueRow } from '../../components/key-value-table';
import { formatBytes } from '../../lib/format';

/**
 * Context fields that SDKs send in bytes: the memory and storage sizes of the device context
 * and the app context's `app_memory`, as described at
 * https://develop.sentry.dev/sdk/data-model/event-payloads/contexts/.
 */
const BYTE_FIELDS = new Set([
  'memory_size',
  'free_memory',
  'usable_memory',
  'storage_size',
  'free_storage',
  'external_storage_size',
  'external_free_storage',
  'app_memory',
]);

const BYTES_PER_MEGABYTE = 1024 * 1024;

const exactFormat = new Intl.NumberFormat('en');

/**
 * Builds the table rows of one context, leaving out its `type`. Sizes are shown in readable
 * units with the exact number as the tooltip, and booleans as `true` or `false`.
 */
export function toContextRows(key: string, context: EventContext): KeyValueRow[] {
  const contextType = typeof context.type === 'string' ? context.type : key;

  return Object.entries(context)
    .filter(([field]) => field !== 'type')
    .map(([field, value]) => toContextRow(contextType, field, value));
}

function toContextRow(contextType: string, field: string, value: unknown): KeyValueRow {
  if (typeof value === 'boolean') {
    return { key: field, value: String(value) };
  }

  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return { key: field, value };
  }

  // The GPU context sends its memory size in megabytes, unlike the device context.
  if (contextType === 'gpu' && field === 'memory_size') {
    return {
      key: field,
      value: formatBytes(value * BYTES_PER_MEGABYTE),
      title: `${exactFormat.format(value)} megabytes`,
    };
  }

  if (contextType !== 'gpu' && BYTE_FIELDS.has(field)) {
    return { key: field, value: formatBytes(value), title: `${exactFormat.format(value)} bytes` };
  }

  return { key: field, value };
}
