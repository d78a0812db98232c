import { Link } from 'react-router';

import type { Project } from '../../../shared/api/accounts';
import { RelativeTime } from '../../components/relative-time';

interface FirstEventStatusProps {
  orgSlug: string;
  project: Project;
}

/** Tells whether the project has received an event yet, with a link to its issues once it has. */
export function FirstEventStatus({ orgSlug, project }: FirstEventStatusProps) {
  if (project.firstEvent === null) {
    return (
      <div className="alert alert-info first-event-status" role="status">
        <span className="pulse" aria-hidden="true" />
        Waiting for the first event. Install an SDK with the DSN below and send an error.
      </div>
    );
  }

  return (
    <div className="alert alert-success first-event-status" role="status">
      <span>
        First event received <RelativeTime date={project.firstEvent} />.
      </span>
      <Link to={`/organizations/${orgSlug}/issues/?project=${project.id}`}>View issues →</Link>
    </div>
  );
}
