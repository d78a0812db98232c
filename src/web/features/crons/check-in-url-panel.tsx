import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import type { Monitor } from '../../../shared/api/crons';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { projectKeysOptions } from '../../lib/query-options';
import { buildCheckInUrl, buildCurlExample } from './monitor-format';

interface CheckInUrlPanelProps {
  orgSlug: string;
  monitor: Monitor;
}

/**
 * Shows the URL that a job calls to check in to the monitor, built from the first active client
 * key of the monitor's project, with a curl example.
 */
export function CheckInUrlPanel({ orgSlug, monitor }: CheckInUrlPanelProps) {
  const keysQuery = useQuery(projectKeysOptions(orgSlug, monitor.project.slug));
  const keysPath = `/settings/${orgSlug}/projects/${monitor.project.slug}/keys/`;

  if (keysQuery.isPending) {
    return (
      <Panel title="Check-in URL">
        <LoadingIndicator label="Loading client keys…" />
      </Panel>
    );
  }

  if (keysQuery.isError) {
    return (
      <Panel title="Check-in URL">
        <LoadError
          message="Unable to load the project's client keys."
          onRetry={() => void keysQuery.refetch()}
        />
      </Panel>
    );
  }

  const template = keysQuery.data.find((key) => key.isActive)?.dsn.crons ?? null;
  if (template === null) {
    return (
      <Panel title="Check-in URL">
        <p className="muted">
          The project {monitor.project.slug} has no active client key.{' '}
          <Link to={keysPath}>Enable or create a key</Link> to get a check-in URL.
        </p>
      </Panel>
    );
  }

  const url = buildCheckInUrl(template, monitor.slug);

  return (
    <Panel title="Check-in URL" className="check-in-url">
      <div className="check-in-url-row">
        <code data-check-in-url>{url}</code>
        <CopyButton text={url} label="Copy check-in URL" />
      </div>
      <p className="field-help">
        A job sends <code>GET</code> or <code>POST</code> to this URL with a <code>status</code> of{' '}
        <code>in_progress</code>, <code>ok</code> or <code>error</code>, and may add{' '}
        <code>environment</code> and <code>duration</code> (seconds). The URL contains the public
        key of the project&apos;s first active <Link to={keysPath}>client key</Link>.
      </p>
      <CodeBlock title="curl" code={buildCurlExample(url)} copyLabel="Copy curl example" />
    </Panel>
  );
}
