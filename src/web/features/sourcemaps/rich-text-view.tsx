import { Fragment } from 'react';

import { EventText } from '../../components/event-text';
import type { RichText } from './mapping-checklist';

interface RichTextViewProps {
  text: RichText;
}

/** Renders checklist text, with its code parts as isolated inline code. */
export function RichTextView({ text }: RichTextViewProps) {
  return (
    <>
      {text.map((part, index) =>
        typeof part === 'string' ? (
          <Fragment key={index}>{part}</Fragment>
        ) : (
          <code key={index} className="inline-code">
            <EventText>{part.code}</EventText>
          </code>
        ),
      )}
    </>
  );
}
