import type { Stacktrace } from '../../../shared/api/events';
import { formatMappingSummary, summarizeFrameMapping } from './frame-mapping';

interface StackTraceMappingBarProps {
  /** The stack trace after symbolication, whose frames carry the mapping data. */
  stacktrace: Stacktrace;
  /** Whether the event kept the minified frames, which the toggle then offers. */
  hasRawStacktrace: boolean;
  isShowingRaw: boolean;
  onShowRawChange: (isShowingRaw: boolean) => void;
}

/**
 * Renders the line above a JavaScript stack trace: how many frames source maps mapped, and a
 * toggle between the original frames and the minified ones. Renders nothing when there is
 * neither.
 */
export function StackTraceMappingBar({
  stacktrace,
  hasRawStacktrace,
  isShowingRaw,
  onShowRawChange,
}: StackTraceMappingBarProps) {
  const summary = formatMappingSummary(summarizeFrameMapping(stacktrace.frames));

  if (summary === null && !hasRawStacktrace) {
    return null;
  }

  return (
    <div className="mapping-bar">
      {summary === null ? null : <span className="mapping-summary">{summary}</span>}
      {hasRawStacktrace ? (
        <div className="mapping-toggle" role="group" aria-label="Stack trace view">
          <button
            type="button"
            className="button button-small"
            aria-pressed={!isShowingRaw}
            onClick={() => {
              onShowRawChange(false);
            }}
          >
            Original
          </button>
          <button
            type="button"
            className="button button-small"
            aria-pressed={isShowingRaw}
            onClick={() => {
              onShowRawChange(true);
            }}
          >
            Minified
          </button>
        </div>
      ) : null}
    </div>
  );
}
