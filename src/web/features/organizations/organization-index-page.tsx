import { useQuery } from '@tanstack/react-query';
import { Link, Navigate } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { organizationsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';

/**
 * Renders the page at `/`. It opens the issue list of the user's only organization, the
 * organization creation page when there is none, and a picker when there are several.
 */
export function OrganizationIndexPage() {
  const organizationsQuery = useQuery(organizationsOptions());
  useDocumentTitle(['Organizations']);

  if (organizationsQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (organizationsQuery.isError) {
    return (
      <main className="page page-narrow">
        <LoadError
          message="Unable to load your organizations."
          onRetry={() => void organizationsQuery.refetch()}
        />
      </main>
    );
  }

  const organizations = organizationsQuery.data;
  const [onlyOrganization] = organizations;

  if (organizations.length === 0) {
    return <Navigate to="/organizations/new/" replace />;
  }

  if (organizations.length === 1 && onlyOrganization !== undefined) {
    return <Navigate to={`/organizations/${onlyOrganization.slug}/issues/`} replace />;
  }

  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <h1>Choose an organization</h1>
        <Link to="/organizations/new/" className="button">
          New organization
        </Link>
      </div>
      <ul className="picker-list">
        {organizations.map((organization) => (
          <li key={organization.id}>
            <Link to={`/organizations/${organization.slug}/issues/`} className="picker-item">
              <span className="picker-item-name">{organization.name}</span>
              <span className="picker-item-detail">{organization.slug}</span>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
