import './data-scrubbing.css';

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';

import type {
  DataScrubbingSettings,
  ProjectDataScrubbingResponse,
} from '../../../shared/api/data-scrubbing';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { DataScrubbingForm } from './data-scrubbing-form';
import { scrubbingSettingsOptions, type ScrubbingScope } from './query-options';

function SecurityPrivacyPage({ scope, kicker }: { scope: ScrubbingScope; kicker: string }) {
  const settingsQuery = useQuery(scrubbingSettingsOptions(scope));
  useDocumentTitle(['Security & Privacy', kicker]);

  if (settingsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (settingsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the data-scrubbing settings."
          onRetry={() => void settingsQuery.refetch()}
        />
      </main>
    );
  }

  const data = settingsQuery.data;
  const organization =
    scope.kind === 'project' ? (data as ProjectDataScrubbingResponse).organization : undefined;
  const settings: DataScrubbingSettings = {
    dataScrubber: data.dataScrubber,
    dataScrubberDefaults: data.dataScrubberDefaults,
    scrubIPAddresses: data.scrubIPAddresses,
    sensitiveFields: data.sensitiveFields,
    safeFields: data.safeFields,
    relayPiiConfig: data.relayPiiConfig,
  };

  return (
    <main className="page security-privacy-page">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{kicker}</div>
          <h1>Security &amp; Privacy</h1>
        </div>
      </div>
      <p className="page-intro">
        The worker scrubs every event, transaction, span, log and feedback before it is grouped or
        stored. Attachments are stored as sent.
        {scope.kind === 'organization'
          ? ' Settings turned on here apply to every project; field lists are added to each project’s.'
          : ' The organization’s settings apply on top of these.'}
      </p>
      <Panel title="Data scrubbing">
        <DataScrubbingForm scope={scope} settings={settings} organization={organization} />
      </Panel>
    </main>
  );
}

/** `/settings/{org}/security-and-privacy/`. */
export function OrganizationSecurityPrivacyPage() {
  const { orgSlug = '' } = useParams();
  return <SecurityPrivacyPage scope={{ kind: 'organization', orgSlug }} kicker={orgSlug} />;
}

/** `/settings/{org}/projects/{project}/security-and-privacy/`. */
export function ProjectSecurityPrivacyPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  return (
    <SecurityPrivacyPage scope={{ kind: 'project', orgSlug, projectSlug }} kicker={projectSlug} />
  );
}
