import type { StackFrame } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { KeyValueTable } from '../../components/key-value-table';
import { needsChecklist, readFrameMapping, type FrameMapping } from '../sourcemaps/frame-mapping';
import { FrameMappingBadge } from '../sourcemaps/frame-mapping-badge';
import { FrameMappingChecklist } from '../sourcemaps/frame-mapping-checklist';
import { frameFileName, hasFrameDetails } from './stack-frames';

interface StackFrameRowProps {
  frame: StackFrame;
  isExpanded: boolean;
  /** Whether this is the frame where the exception was raised. */
  isCrashingFrame: boolean;
  /** The minified frame at the same position, for the source map checklist. */
  rawFrame?: StackFrame | null;
  /** Whether to show the source map badge and checklist. */
  showsMapping?: boolean;
  onToggle: () => void;
}

/**
 * One stack frame: "filename in function at line 12:5", expandable to its source context,
 * with the frame's own line highlighted, and its local variables. A frame that source maps
 * did not map, or mapped with problems, also expands to a checklist of what to fix.
 */
export function StackFrameRow({
  frame,
  isExpanded,
  isCrashingFrame,
  rawFrame = null,
  showsMapping = true,
  onToggle,
}: StackFrameRowProps) {
  const mapping = showsMapping ? readFrameMapping(frame) : null;
  const checklistMapping = mapping !== null && needsChecklist(mapping) ? mapping : null;
  const isExpandable = hasFrameDetails(frame) || checklistMapping !== null;
  const isInApp = frame.inApp === true;
  const className = [
    'frame',
    isInApp ? 'frame-in-app' : 'frame-system',
    isExpanded ? 'frame-expanded' : '',
  ]
    .filter((part) => part !== '')
    .join(' ');

  const title = (
    <>
      <EventText className="frame-filename">{frameFileName(frame)}</EventText>
      {frame.function == null || frame.function === '' ? null : (
        <>
          <span className="frame-connector"> in </span>
          <EventText className="frame-function">{frame.function}</EventText>
        </>
      )}
      {frame.lineNo == null ? null : (
        <>
          <span className="frame-connector"> at line </span>
          <span className="frame-line">
            {frame.lineNo}
            {frame.colNo == null ? '' : `:${frame.colNo}`}
          </span>
        </>
      )}
      <span className="frame-badges">
        {isCrashingFrame ? <span className="badge badge-crashed">Crashed here</span> : null}
        {isInApp ? <span className="badge badge-in-app">In App</span> : null}
        {mapping === null ? null : <FrameMappingBadge mapping={mapping} />}
      </span>
    </>
  );

  return (
    <li className={className} data-in-app={isInApp}>
      {isExpandable ? (
        <button type="button" className="frame-title" aria-expanded={isExpanded} onClick={onToggle}>
          <span className="frame-toggle" aria-hidden="true">
            {isExpanded ? '▾' : '▸'}
          </span>
          {title}
        </button>
      ) : (
        <div className="frame-title">
          <span className="frame-toggle" aria-hidden="true" />
          {title}
        </div>
      )}
      {isExpanded && isExpandable ? (
        <FrameDetails frame={frame} rawFrame={rawFrame} checklistMapping={checklistMapping} />
      ) : null}
    </li>
  );
}

interface FrameDetailsProps {
  frame: StackFrame;
  rawFrame: StackFrame | null;
  /** The frame's mapping when it needs a checklist, else null. */
  checklistMapping: FrameMapping | null;
}

function FrameDetails({ frame, rawFrame, checklistMapping }: FrameDetailsProps) {
  const context = frame.context ?? [];
  const vars = Object.entries(frame.vars ?? {});

  return (
    <div className="frame-details">
      {checklistMapping === null ? null : (
        <FrameMappingChecklist mapping={checklistMapping} frame={frame} rawFrame={rawFrame} />
      )}
      {context.length === 0 ? null : (
        <ol className="frame-context">
          {context.map(([lineNo, text]) => (
            <li
              key={lineNo}
              className={
                lineNo === frame.lineNo ? 'context-line context-line-active' : 'context-line'
              }
            >
              <span className="context-line-number">{lineNo}</span>
              <code className="context-line-text">
                <EventText>{text === '' ? ' ' : text}</EventText>
              </code>
            </li>
          ))}
        </ol>
      )}
      {vars.length === 0 ? null : (
        <div className="frame-vars">
          <KeyValueTable rows={vars.map(([key, value]) => ({ key, value }))} />
        </div>
      )}
    </div>
  );
}
