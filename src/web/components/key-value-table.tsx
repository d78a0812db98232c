import { formatJsonValue } from '../lib/format';
import { EventText } from './event-text';

export interface KeyValueRow {
  key: string;
  /** Any JSON value from an event: strings are shown as they are, the rest as JSON. */
  value: unknown;
  /** Tooltip of the value, as the exact number behind a formatted size. */
  title?: string;
}

interface KeyValueTableProps {
  rows: KeyValueRow[];
}

/** Renders a two-column table of names and values, as Sentry shows contexts and headers. */
export function KeyValueTable({ rows }: KeyValueTableProps) {
  return (
    <table className="key-value-table">
      <tbody>
        {rows.map((row, index) => (
          <tr key={`${row.key}-${index}`}>
            <th scope="row">
              <EventText>{row.key}</EventText>
            </th>
            <td title={row.title}>
              <KeyValueCell value={row.value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KeyValueCell({ value }: { value: unknown }) {
  if (value === null || value === undefined) {
    return <span className="muted">{String(value)}</span>;
  }

  if (typeof value === 'object') {
    return (
      <pre className="value-json">
        <EventText>{formatJsonValue(value)}</EventText>
      </pre>
    );
  }

  return <EventText className="value-text">{formatJsonValue(value)}</EventText>;
}
