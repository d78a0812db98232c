import type { Event } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { describeProcessingError } from './processing-error-text';

interface ProcessingErrorsProps {
  errors: Event['errors'];
}

/**
 * Lists the problems Picket recorded while processing the event, such as dropped fields or a
 * file without a source map.
 */
export function ProcessingErrors({ errors }: ProcessingErrorsProps) {
  if (errors == null || errors.length === 0) {
    return null;
  }

  return (
    <div className="alert alert-warning" role="note">
      <strong>
        There {errors.length === 1 ? 'was 1 problem' : `were ${errors.length} problems`} processing
        this event.
      </strong>
      <ul className="processing-errors">
        {errors.map((error, index) => {
          const { text, subject } = describeProcessingError(error);
          return (
            <li key={index}>
              <EventText>{text}</EventText>
              {subject === null ? null : (
                <>
                  {' '}
                  <code className="processing-error-subject">
                    <EventText>{subject}</EventText>
                  </code>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
