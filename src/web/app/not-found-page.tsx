import { Link } from 'react-router';

import { EmptyState } from '../components/empty-state';
import { useDocumentTitle } from '../lib/use-document-title';

export function NotFoundPage() {
  useDocumentTitle(['Page not found']);

  return (
    <main className="page page-narrow">
      <EmptyState title="Page not found">
        <p>There is nothing at this address.</p>
        <Link to="/" className="button">
          Go to Picket
        </Link>
      </EmptyState>
    </main>
  );
}
