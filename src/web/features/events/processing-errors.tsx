import type { Event } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';

interface ProcessingErrorsProps {
  errors: Event['errors'];
}

/** Lists the problems Picket recorded while normalizing the event, such as dropped fields. */
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
        {errors.map((error, index) => (
          <li key={index}>
            <EventText>{error.message ?? error.type}</EventText>
            {error.name === undefined ? null : (
              <>
                {' ('}
                <EventText>{error.name}</EventText>)
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
