import { useState } from 'react';

import type { StackFrame, Stacktrace } from '../../../shared/api/events';
import { hasMappingChecklist } from '../sourcemaps/frame-mapping';
import { StackFrameRow } from './stack-frame-row';
import { findInitiallyExpandedFrame, groupFrames, hasFrameDetails } from './stack-frames';

interface StackTraceProps {
  stacktrace: Stacktrace;
  /**
   * Whether the first frame is where an exception was raised. It is false for the stack trace
   * of a message, whose first frame only captured it.
   */
  isCrash: boolean;
  /**
   * The minified frames of the same stack trace, which the source map checklists quote. They
   * are used only when their count matches, because only then do positions correspond.
   */
  rawStacktrace?: Stacktrace | null;
  /** Whether frames show their source map badge and checklist; off for the minified view. */
  showsMapping?: boolean;
}

/**
 * Renders a stack trace, crashing frame first. In-app frames are shown, and each run of system
 * frames is collapsed behind a "Show N more frames" toggle. The crashing-most in-app frame with
 * source context, or with a source map checklist, starts expanded.
 */
export function StackTrace({
  stacktrace,
  isCrash,
  rawStacktrace = null,
  showsMapping = true,
}: StackTraceProps) {
  const groups = groupFrames(stacktrace.frames);
  const rawFrames = alignRawFrames(stacktrace, rawStacktrace);
  const [expandedFrames, setExpandedFrames] = useState<ReadonlySet<number>>(() => {
    const initial = findInitiallyExpandedFrame(
      groups,
      (frame) => hasFrameDetails(frame) || (showsMapping && hasMappingChecklist(frame)),
    );
    return new Set(initial === null ? [] : [initial]);
  });
  const [openGroups, setOpenGroups] = useState<ReadonlySet<number>>(() => new Set());

  if (groups.length === 0) {
    return <p className="muted frames-empty">No stack frames were sent with this exception.</p>;
  }

  function toggleFrame(index: number) {
    setExpandedFrames((current) => toggleMember(current, index));
  }

  function toggleGroup(groupIndex: number) {
    setOpenGroups((current) => toggleMember(current, groupIndex));
  }

  return (
    <ol className="frames">
      {groups.map((group, groupIndex) => {
        const firstIndex = group.frames[0]?.index ?? groupIndex;
        const isHidden = group.isCollapsible && !openGroups.has(groupIndex);

        if (isHidden) {
          return (
            <li key={`group-${firstIndex}`} className="frames-collapsed">
              <button
                type="button"
                className="frames-toggle"
                onClick={() => {
                  toggleGroup(groupIndex);
                }}
              >
                Show {group.frames.length} more {group.frames.length === 1 ? 'frame' : 'frames'}
              </button>
            </li>
          );
        }

        return (
          <li key={`group-${firstIndex}`} className="frame-group">
            <ol className="frames">
              {group.frames.map(({ frame, index }) => (
                <StackFrameRow
                  key={index}
                  frame={frame}
                  isCrashingFrame={isCrash && index === 0}
                  rawFrame={rawFrames?.[index] ?? null}
                  showsMapping={showsMapping}
                  isExpanded={expandedFrames.has(index)}
                  onToggle={() => {
                    toggleFrame(index);
                  }}
                />
              ))}
            </ol>
            {group.isCollapsible ? (
              <button
                type="button"
                className="frames-toggle"
                onClick={() => {
                  toggleGroup(groupIndex);
                }}
              >
                Hide {group.frames.length} {group.frames.length === 1 ? 'frame' : 'frames'}
              </button>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** Orders the raw frames crashing frame first, like `groupFrames`, or returns null. */
function alignRawFrames(
  stacktrace: Stacktrace,
  rawStacktrace: Stacktrace | null,
): StackFrame[] | null {
  if (rawStacktrace === null || rawStacktrace.frames.length !== stacktrace.frames.length) {
    return null;
  }

  return [...rawStacktrace.frames].reverse();
}

function toggleMember(set: ReadonlySet<number>, member: number): ReadonlySet<number> {
  const next = new Set(set);
  if (next.has(member)) {
    next.delete(member);
  } else {
    next.add(member);
  }
  return next;
}
