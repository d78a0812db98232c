import { describeMappingBadge, type FrameMapping } from './frame-mapping';

interface FrameMappingBadgeProps {
  mapping: FrameMapping;
}

/** Shows how a frame was mapped to its original source, or that it was not. */
export function FrameMappingBadge({ mapping }: FrameMappingBadgeProps) {
  const badge = describeMappingBadge(mapping);

  return (
    <span className={`badge badge-mapping badge-mapping-${badge.tone}`} data-mapping={badge.tone}>
      {badge.label}
    </span>
  );
}
