import { Fragment } from 'react';

import type { ProjectKey } from '../../../shared/api/accounts';
import { CopyButton } from '../../components/copy-button';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { listKeyEndpoints } from './key-endpoints';

interface ProjectKeyPanelProps {
  projectKey: ProjectKey;
}

/** Renders one client key: its DSN with a copy button, and the endpoints the server serves. */
export function ProjectKeyPanel({ projectKey }: ProjectKeyPanelProps) {
  const title = projectKey.label === '' ? projectKey.name : projectKey.label;

  return (
    <Panel
      className="key-panel"
      title={title}
      actions={
        <span className={projectKey.isActive ? 'status-pill status-active' : 'status-pill'}>
          {projectKey.isActive ? 'Active' : 'Disabled'}
        </span>
      }
    >
      <div className="key-field">
        <label className="field-label" htmlFor={`dsn-${projectKey.id}`}>
          DSN
        </label>
        <div className="copy-field">
          <input
            id={`dsn-${projectKey.id}`}
            className="mono"
            readOnly
            value={projectKey.dsn.public}
            onFocus={(event) => {
              event.target.select();
            }}
          />
          <CopyButton text={projectKey.dsn.public} label="Copy DSN" />
        </div>
      </div>
      <dl className="key-details">
        <dt>Public key</dt>
        <dd className="mono">{projectKey.public}</dd>
        <dt>Project ID</dt>
        <dd className="mono">{projectKey.projectId}</dd>
        {listKeyEndpoints(projectKey.dsn).map((endpoint) => (
          <Fragment key={endpoint.label}>
            <dt>{endpoint.label}</dt>
            <dd className="mono">{endpoint.url}</dd>
          </Fragment>
        ))}
        {projectKey.dsn.otlp_traces === null ? null : (
          <>
            <dt>OTLP header</dt>
            <dd className="mono">{`X-Sentry-Auth: sentry sentry_key=${projectKey.public}`}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <RelativeTime date={projectKey.dateCreated} />
        </dd>
      </dl>
    </Panel>
  );
}
