interface EventTextProps {
  children: string;
  className?: string;
}

/**
 * Renders text that an SDK sent, such as an exception value, a tag or a file name. The text is
 * a bidi isolate, so directional control characters in it (the right-to-left override of
 * "evil\u202Eexe.txt", for example) reorder only this text and never the text around it.
 */
export function EventText({ children, className }: EventTextProps) {
  return (
    <bdi className={className === undefined ? 'event-text' : `event-text ${className}`}>
      {children}
    </bdi>
  );
}
