import type { KeyValueRow } from '../../components/key-value-table';

/**
 * Converts event data to table rows. Sentry sends headers, cookies and query strings as
 * `[name, value]` pairs, but older SDKs send objects or a raw string, so all three are read.
 */
export function toKeyValueRows(value: unknown): KeyValueRow[] {
  if (value == null || value === '') {
    return [];
  }

  if (typeof value === 'string') {
    return [{ key: '(raw)', value }];
  }

  if (Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      Array.isArray(item) && item.length === 2
        ? { key: String(item[0]), value: item[1] as unknown }
        : { key: String(index), value: item },
    );
  }

  if (typeof value === 'object') {
    return Object.entries(value).map(([key, item]: [string, unknown]) => ({ key, value: item }));
  }

  return [{ key: '(value)', value }];
}
