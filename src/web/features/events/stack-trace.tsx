import { useState } from 'react';

import type { Stacktrace } from '../../../shared/api/events';
import { StackFrameRow } from './stack-frame-row';
import { findInitiallyExpandedFrame, groupFrames } from './stack-frames';

interface StackTraceProps {
  stacktrace: Stacktrace;
  /**
   * Whether the first frame is where an exception was raised. It is false for the stack trace
   * of a message, whose first frame only captured it.
   */
  isCrash: boolean;
}

/**
 * Renders a stack trace, crashing frame first. In-app frames are shown, and each run of system
 * frames is collapsed behind a "Show N more frames" toggle.
 */
export function StackTrace({ stacktrace, isCrash }: StackTraceProps) {
  const groups = groupFrames(stacktrace.frames);
  const [expandedFrames, setExpandedFrames] = useState<ReadonlySet<number>>(() => {
    const initial = findInitiallyExpandedFrame(groups);
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

function toggleMember(set: ReadonlySet<number>, member: number): ReadonlySet<number> {
  const next = new Set(set);
  if (next.has(member)) {
    next.delete(member);
  } else {
    next.add(member);
  }
  return next;
}
