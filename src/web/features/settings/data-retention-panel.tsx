import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { ProjectStorage } from '../../../shared/api/retention';
import { LoadError } from '../../components/load-error';
import { Panel } from '../../components/panel';
import { fetchApi } from '../../lib/api-client';
import { describeFailure } from '../../lib/user-message';

function projectPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/`;
}

const storageQueryKey = (orgSlug: string, projectSlug: string) =>
  ['projects', orgSlug, projectSlug, 'storage'] as const;

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Formats a byte count with 1024-based units, such as `1.5 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[unit] ?? 'B'}`;
}

/** Renders what Picket keeps for a project and the form that sets its event cap. */
export function DataRetentionPanel({
  orgSlug,
  projectSlug,
}: {
  orgSlug: string;
  projectSlug: string;
}) {
  const storageQuery = useQuery({
    queryKey: storageQueryKey(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectStorage>(`${projectPath(orgSlug, projectSlug)}picket-storage/`, { signal }),
  });

  if (storageQuery.isPending) {
    return null;
  }
  if (storageQuery.isError) {
    return (
      <LoadError
        message="Unable to load the project's storage figures."
        onRetry={() => void storageQuery.refetch()}
      />
    );
  }

  return (
    <DataRetentionForm
      key={projectSlug}
      orgSlug={orgSlug}
      projectSlug={projectSlug}
      storage={storageQuery.data}
    />
  );
}

function DataRetentionForm({
  orgSlug,
  projectSlug,
  storage,
}: {
  orgSlug: string;
  projectSlug: string;
  storage: ProjectStorage;
}) {
  const queryClient = useQueryClient();
  const [cap, setCap] = useState(storage.maxEvents?.toString() ?? '');
  const saveMutation = useMutation({
    mutationFn: () =>
      fetchApi<unknown>(projectPath(orgSlug, projectSlug), {
        method: 'PUT',
        body: { picketMaxEvents: cap.trim() === '' ? null : Number(cap) },
      }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: storageQueryKey(orgSlug, projectSlug) }),
  });

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    saveMutation.mutate();
  };

  return (
    <Panel title="Data retention">
      <dl className="key-details" aria-label="Stored data">
        <dt>Events kept</dt>
        <dd>{storage.eventsKept.toLocaleString()}</dd>
        <dt>Storage used</dt>
        <dd>
          {formatBytes(storage.bytesKept)} ({formatBytes(storage.eventBytes)} of events,{' '}
          {storage.attachmentsKept.toLocaleString()}{' '}
          {storage.attachmentsKept === 1 ? 'attachment' : 'attachments'} of{' '}
          {formatBytes(storage.attachmentBytes)})
        </dd>
        <dt>Oldest event</dt>
        <dd>
          {storage.oldestEvent === null ? 'None' : new Date(storage.oldestEvent).toLocaleString()}
        </dd>
        <dt>Retention</dt>
        <dd>{storage.retentionDays} days, set by the server</dd>
      </dl>
      <form className="form" onSubmit={handleSubmit} aria-label="Event cap">
        <label className="field">
          <span className="field-label">Max events kept</span>
          <input
            name="maxEvents"
            type="number"
            min={1}
            max={1_000_000_000_000}
            step={1}
            placeholder="No cap"
            value={cap}
            onChange={(event) => {
              setCap(event.target.value);
            }}
          />
          <span className="field-help">
            Above this number the oldest events are deleted, at the next hourly retention run. Leave
            it empty to keep every event for the retention period.
          </span>
        </label>
        {saveMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('save the event cap', saveMutation.error)}
          </div>
        ) : null}
        {saveMutation.isSuccess ? (
          <div className="alert alert-info" role="status">
            Saved.
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            {saveMutation.isPending ? 'Saving…' : 'Save cap'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
