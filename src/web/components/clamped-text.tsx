import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface ClampedTextProps {
  children: ReactNode;
  /** Element that contains the text, so that a page title can stay a heading. */
  as?: 'h1' | 'div';
  className?: string;
}

/**
 * Renders text cut to two lines, with a "Show more" button when the text is longer. The
 * whole text stays in the document, so screen readers and find-in-page read all of it.
 */
export function ClampedText({ children, as: Element = 'div', className }: ClampedTextProps) {
  const id = useId();
  const textRef = useRef<HTMLHeadingElement & HTMLDivElement>(null);
  const [isExpanded, setIsExpanded] = useState(false);
  const [isOverflowing, setIsOverflowing] = useState(false);

  useLayoutEffect(() => {
    const element = textRef.current;
    if (element === null || isExpanded) {
      return undefined;
    }

    function measure(target: HTMLElement) {
      // One pixel of slack absorbs sub-pixel rounding of line heights.
      setIsOverflowing(target.scrollHeight > target.clientHeight + 1);
    }

    measure(element);
    const observer = new ResizeObserver(() => {
      measure(element);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [children, isExpanded]);

  const textClassName = [className, 'clamped-text', isExpanded ? '' : 'clamped-text-collapsed']
    .filter((part) => part !== undefined && part !== '')
    .join(' ');

  return (
    <>
      <Element id={id} ref={textRef} className={textClassName}>
        {children}
      </Element>
      {isOverflowing || isExpanded ? (
        <button
          type="button"
          className="text-toggle"
          aria-expanded={isExpanded}
          aria-controls={id}
          onClick={() => {
            setIsExpanded(!isExpanded);
          }}
        >
          {isExpanded ? 'Show less' : 'Show more'}
        </button>
      ) : null}
    </>
  );
}
