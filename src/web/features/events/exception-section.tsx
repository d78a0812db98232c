import { useState } from 'react';

import type { ExceptionEntry, ExceptionValue } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { Panel } from '../../components/panel';
import { ShowAllToggle } from '../../components/show-all-toggle';
import { useListLimit } from '../../lib/use-list-limit';
import { StackTraceMappingBar } from '../sourcemaps/stack-trace-mapping-bar';
import { StackTrace } from './stack-trace';
import { isStackTraceOnly, isSyntheticException } from './synthetic-exception';

/** Number of chained exceptions shown before the user asks for the rest. */
const VISIBLE_EXCEPTIONS = 10;

interface ExceptionSectionProps {
  entry: ExceptionEntry;
  /** The event's message, which a synthetic exception repeats as its value. */
  message: string | null;
}

/**
 * Renders the exceptions of an event. Sentry lists chained exceptions innermost cause first,
 * so they are shown in reverse order, and the exception that was raised last comes first.
 * Exceptions that an SDK made up to carry a message's stack trace are shown as a plain stack
 * trace, without their invented type.
 */
export function ExceptionSection({ entry, message }: ExceptionSectionProps) {
  const exceptions = useListLimit([...entry.data.values].reverse(), VISIBLE_EXCEPTIONS);
  const isStackTrace = isStackTraceOnly(entry);

  return (
    <Panel title={isStackTrace ? 'Stack Trace' : 'Exception'} className="exception-section">
      {exceptions.visibleItems.map((value, index) =>
        isSyntheticException(value) ? (
          <SyntheticExceptionView key={index} value={value} message={message} />
        ) : (
          <ExceptionValueView key={index} value={value} isCause={index > 0} />
        ),
      )}
      <ShowAllToggle list={exceptions} noun="exceptions" />
    </Panel>
  );
}

interface ExceptionValueViewProps {
  value: ExceptionValue;
  /** Whether this exception caused the one listed before it. */
  isCause: boolean;
}

function ExceptionValueView({ value, isCause }: ExceptionValueViewProps) {
  const [isShowingRaw, setIsShowingRaw] = useState(false);
  const mechanism = value.mechanism;
  const rawStacktrace =
    value.rawStacktrace != null && value.rawStacktrace.frames.length > 0
      ? value.rawStacktrace
      : null;
  const isRawShown = isShowingRaw && rawStacktrace !== null;

  return (
    <div className="exception">
      {isCause ? <div className="exception-cause-label">Caused by</div> : null}
      <h3 className="exception-type">
        <EventText>{value.type ?? ''}</EventText>
      </h3>
      {value.value == null || value.value === '' ? null : (
        <pre className="exception-value">
          <EventText>{value.value}</EventText>
        </pre>
      )}
      {mechanism == null ? null : (
        <div className="exception-mechanism">
          <span className="chip">
            <span className="chip-key">mechanism</span>
            <EventText className="chip-value">{mechanism.type}</EventText>
          </span>
          {mechanism.handled === false ? (
            <span className="badge badge-unhandled">Unhandled</span>
          ) : null}
          {mechanism.handled === true ? <span className="badge badge-handled">Handled</span> : null}
        </div>
      )}
      {value.stacktrace == null ? null : (
        <>
          <StackTraceMappingBar
            stacktrace={value.stacktrace}
            hasRawStacktrace={rawStacktrace !== null}
            isShowingRaw={isRawShown}
            onShowRawChange={setIsShowingRaw}
          />
          {isRawShown ? (
            <StackTrace key="raw" stacktrace={rawStacktrace} isCrash showsMapping={false} />
          ) : (
            <StackTrace
              key="original"
              stacktrace={value.stacktrace}
              rawStacktrace={rawStacktrace}
              isCrash
            />
          )}
        </>
      )}
    </div>
  );
}

interface SyntheticExceptionViewProps {
  value: ExceptionValue;
  message: string | null;
}

/** Renders the stack trace of a synthetic exception, with its value unless the message has it. */
function SyntheticExceptionView({ value, message }: SyntheticExceptionViewProps) {
  const text = value.value ?? '';

  return (
    <div className="exception exception-synthetic">
      {text === '' || text === message ? null : (
        <pre className="exception-value">
          <EventText>{text}</EventText>
        </pre>
      )}
      {value.stacktrace == null ? (
        <p className="muted frames-empty">No stack frames were sent with this event.</p>
      ) : (
        <StackTrace stacktrace={value.stacktrace} isCrash={false} />
      )}
    </div>
  );
}
