import './grouping.css';

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { GroupingRulesForm } from './grouping-rules-form';
import { groupingRulesOptions } from './query-options';

/** Renders a project's stack-trace rules and fingerprint rules, with short syntax help. */
export function GroupingSettingsPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  const rulesQuery = useQuery(groupingRulesOptions(orgSlug, projectSlug));
  useDocumentTitle(['Grouping', projectSlug, orgSlug]);

  if (rulesQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (rulesQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the project's grouping rules."
          onRetry={() => void rulesQuery.refetch()}
        />
      </main>
    );
  }

  const project = rulesQuery.data;

  return (
    <main className="page grouping-settings-page">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{project.slug}</div>
          <h1>Grouping</h1>
        </div>
        <div className="button-group">
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/keys/`} className="button">
            Client keys
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/filters/`} className="button">
            Inbound filters
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${projectSlug}/source-maps/`} className="button">
            Source maps
          </Link>
        </div>
      </div>
      <p className="page-intro">
        Picket groups events into issues the way Sentry does: by stack trace, exception, message or
        fingerprint. These rules change that for this project. The issue page shows which variant
        and which frames produced an issue&apos;s hash.
      </p>
      <Panel title="Rules">
        <GroupingRulesForm orgSlug={orgSlug} projectSlug={projectSlug} project={project} />
      </Panel>
    </main>
  );
}
