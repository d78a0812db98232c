import type { Log } from '../../../shared/api/logs';
import { EventText } from '../../components/event-text';
import { KeyValueTable, type KeyValueRow } from '../../components/key-value-table';
import { formatLogTime } from './format-log-time';

interface LogRowProps {
  log: Log;
  isExpanded: boolean;
  onToggle: () => void;
  onTraceSelect: (traceId: string) => void;
}

// Log levels on the colours of the event levels they match.
const LEVEL_CLASS_NAMES: Record<Log['level'], string> = {
  trace: 'level-debug',
  debug: 'level-debug',
  info: 'level-info',
  warn: 'level-warning',
  error: 'level-error',
  fatal: 'level-fatal',
};

/**
 * Renders one log as a table row: time, level, message and trace. The message toggles a
 * second row with the log's details and attributes.
 */
export function LogRow({ log, isExpanded, onToggle, onTraceSelect }: LogRowProps) {
  const detailsId = `log-details-${log.id}`;

  return (
    <>
      <tr className="log-row" data-log-id={log.id} data-level={log.level}>
        <td className="log-time">
          <time dateTime={log.timestamp} title={log.timestamp}>
            {formatLogTime(log.timestamp)}
          </time>
        </td>
        <td className="log-level">
          <span className={`level-badge ${LEVEL_CLASS_NAMES[log.level]}`}>{log.level}</span>
        </td>
        <td className="log-body">
          <button
            type="button"
            className="log-body-toggle"
            aria-expanded={isExpanded}
            aria-controls={detailsId}
            onClick={onToggle}
          >
            <EventText className={isExpanded ? 'log-body-text' : 'log-body-text log-body-clipped'}>
              {log.body === '' ? '(empty message)' : log.body}
            </EventText>
          </button>
        </td>
        <td className="log-trace">
          <button
            type="button"
            className="log-trace-button mono"
            title={`Show the logs of trace ${log.traceId}`}
            onClick={() => {
              onTraceSelect(log.traceId);
            }}
          >
            {log.traceId.slice(0, 8)}
          </button>
        </td>
      </tr>
      {isExpanded ? (
        <tr className="log-details" id={detailsId}>
          <td colSpan={4}>
            <KeyValueTable rows={detailRows(log)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function detailRows(log: Log): KeyValueRow[] {
  const rows: KeyValueRow[] = [
    { key: 'timestamp', value: log.timestamp },
    { key: 'trace_id', value: log.traceId },
    { key: 'span_id', value: log.spanId },
    { key: 'severity_number', value: log.severityNumber },
  ];
  const attributes = Object.entries(log.attributes)
    .sort(([first], [second]) => first.localeCompare(second))
    .map(([key, attribute]) => ({
      key,
      value: attribute.value,
      title:
        attribute.unit === undefined ? attribute.type : `${attribute.type} (${attribute.unit})`,
    }));

  return [...rows, ...attributes];
}
