import type { StackFrame } from '../../../shared/api/events';

/** A frame with its position in the crashing-first order, which keys its expanded state. */
export interface IndexedFrame {
  frame: StackFrame;
  index: number;
}

/** A run of frames that are shown together, or hidden together behind one toggle. */
export interface FrameGroup {
  frames: IndexedFrame[];
  /** Whether the run contains only system frames, which stay collapsed until the user opens them. */
  isCollapsible: boolean;
}

/**
 * Orders frames crashing frame first and groups them for display. Sentry sends frames oldest
 * first, so the list is reversed. Consecutive system frames form one collapsible group. A
 * stack trace without any in-app frame is shown whole, because hiding every frame would
 * leave nothing to read.
 */
export function groupFrames(frames: StackFrame[]): FrameGroup[] {
  const ordered = [...frames].reverse().map((frame, index) => ({ frame, index }));
  const hasInAppFrames = ordered.some(({ frame }) => frame.inApp === true);

  if (!hasInAppFrames) {
    return ordered.length === 0 ? [] : [{ frames: ordered, isCollapsible: false }];
  }

  const groups: FrameGroup[] = [];
  for (const item of ordered) {
    const isSystem = item.frame.inApp !== true;
    const last = groups.at(-1);

    if (last !== undefined && last.isCollapsible === isSystem) {
      last.frames.push(item);
    } else {
      groups.push({ frames: [item], isCollapsible: isSystem });
    }
  }

  return groups;
}

/**
 * Returns the index of the frame to expand first: the crashing-most in-app frame with details.
 * `hasDetails` decides which frames have details, by default source context or variables.
 */
export function findInitiallyExpandedFrame(
  groups: FrameGroup[],
  hasDetails: (frame: StackFrame) => boolean = hasFrameDetails,
): number | null {
  for (const group of groups) {
    if (group.isCollapsible) {
      continue;
    }

    const candidate = group.frames.find(({ frame }) => hasDetails(frame));
    if (candidate !== undefined) {
      return candidate.index;
    }
  }

  return null;
}

/** Checks whether a frame has source context or local variables to show when expanded. */
export function hasFrameDetails(frame: StackFrame): boolean {
  return (
    (frame.context != null && frame.context.length > 0) ||
    (frame.vars != null && Object.keys(frame.vars).length > 0)
  );
}

/** Returns the frame's relative file name, else its absolute path or module. */
export function frameFileName(frame: StackFrame): string {
  return frame.filename ?? frame.absPath ?? frame.module ?? '<unknown>';
}
