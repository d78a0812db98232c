import type { ExceptionEntry, ExceptionValue } from '../../../shared/api/events';
import { Panel } from '../../components/panel';
import { StackTrace } from './stack-trace';

interface ExceptionSectionProps {
  entry: ExceptionEntry;
}

/**
 * Renders the exceptions of an event. Sentry lists chained exceptions innermost cause first,
 * so they are shown in reverse order, and the exception that was raised last comes first.
 */
export function ExceptionSection({ entry }: ExceptionSectionProps) {
  const values = [...entry.data.values].reverse();

  return (
    <Panel title="Exception" className="exception-section">
      {values.map((value, index) => (
        <ExceptionValueView key={index} value={value} isCause={index > 0} />
      ))}
    </Panel>
  );
}

interface ExceptionValueViewProps {
  value: ExceptionValue;
  /** Whether this exception caused the one listed before it. */
  isCause: boolean;
}

function ExceptionValueView({ value, isCause }: ExceptionValueViewProps) {
  const mechanism = value.mechanism;

  return (
    <div className="exception">
      {isCause ? <div className="exception-cause-label">Caused by</div> : null}
      <h3 className="exception-type">{value.type ?? 'Error'}</h3>
      {value.value == null || value.value === '' ? null : (
        <pre className="exception-value">{value.value}</pre>
      )}
      {mechanism == null ? null : (
        <div className="exception-mechanism">
          <span className="chip">
            <span className="chip-key">mechanism</span>
            <span className="chip-value">{mechanism.type}</span>
          </span>
          {mechanism.handled === false ? (
            <span className="badge badge-unhandled">Unhandled</span>
          ) : null}
          {mechanism.handled === true ? <span className="badge badge-handled">Handled</span> : null}
        </div>
      )}
      {value.stacktrace == null ? null : <StackTrace stacktrace={value.stacktrace} />}
    </div>
  );
}
