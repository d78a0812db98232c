import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { ProjectIngestControls } from '../../../shared/api/stats';
import { LoadError } from '../../components/load-error';
import { Panel } from '../../components/panel';
import { describeFailure } from '../../lib/user-message';
import {
  projectIngestControlsOptions,
  statsQueryKeys,
  updateProjectIngestControls,
} from '../stats/query-options';

interface ProjectIngestPanelProps {
  orgSlug: string;
  projectSlug: string;
}

/** Renders the project rate limit and the spike protection switch with its current state. */
export function ProjectIngestPanel({ orgSlug, projectSlug }: ProjectIngestPanelProps) {
  const controlsQuery = useQuery(projectIngestControlsOptions(orgSlug, projectSlug));

  if (controlsQuery.isPending) {
    return null;
  }
  if (controlsQuery.isError) {
    return (
      <LoadError
        message="Unable to load the project's rate limit."
        onRetry={() => void controlsQuery.refetch()}
      />
    );
  }

  return (
    <ProjectIngestForm
      key={
        JSON.stringify(controlsQuery.data.rateLimit) +
        String(controlsQuery.data.spikeProtection.enabled)
      }
      orgSlug={orgSlug}
      projectSlug={projectSlug}
      controls={controlsQuery.data}
    />
  );
}

function ProjectIngestForm({
  orgSlug,
  projectSlug,
  controls,
}: ProjectIngestPanelProps & { controls: ProjectIngestControls }) {
  const queryClient = useQueryClient();
  const [count, setCount] = useState(controls.rateLimit?.count.toString() ?? '');
  const [windowSeconds, setWindowSeconds] = useState(controls.rateLimit?.window ?? 3_600);
  const [spikeEnabled, setSpikeEnabled] = useState(controls.spikeProtection.enabled);
  const spike = controls.spikeProtection;
  const errorThreshold = spike.groups.find((group) => group.category === 'error');

  const saveMutation = useMutation({
    mutationFn: () => {
      const parsed = Number(count);
      const rateLimit =
        count.trim() === '' || !Number.isInteger(parsed) || parsed <= 0
          ? null
          : { count: parsed, window: windowSeconds };
      return updateProjectIngestControls(orgSlug, projectSlug, {
        rateLimit,
        spikeProtection: { enabled: spikeEnabled },
      });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(statsQueryKeys.projectControls(orgSlug, projectSlug), saved);
      return queryClient.invalidateQueries({
        queryKey: statsQueryKeys.organizationControls(orgSlug),
      });
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    saveMutation.mutate();
  }

  return (
    <Panel className="key-settings" title="Project rate limit and spike protection">
      {spike.active ? (
        <div className="alert alert-warning spike-banner" role="status">
          Spike protection is active: events above the usual rate are being dropped until the rate
          falls back.
        </div>
      ) : null}
      <form className="form" onSubmit={handleSubmit} aria-label="Project rate limit">
        <div className="field">
          <span className="field-label">Project rate limit</span>
          <div className="field-row">
            <input
              aria-label="Project events allowed"
              type="number"
              min={0}
              step={1}
              placeholder="No limit"
              value={count}
              onChange={(event) => {
                setCount(event.target.value);
              }}
            />
            <select
              aria-label="Project rate limit window"
              value={windowSeconds}
              onChange={(event) => {
                setWindowSeconds(Number(event.target.value));
              }}
            >
              <option value={60}>per minute</option>
              <option value={3_600}>per hour</option>
              <option value={86_400}>per day</option>
            </select>
          </div>
          <span className="field-help">
            Counts the errors of every key of the project together.
          </span>
        </div>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={spikeEnabled}
            onChange={(event) => {
              setSpikeEnabled(event.target.checked);
            }}
          />
          <span>Spike protection</span>
        </label>
        <p className="field-help">
          Drops events while a minute brings more than {spike.factor} times the average of the last
          hour, and never below {spike.minPerMinute.toLocaleString()} a minute.
          {errorThreshold?.thresholdPerMinute === null || errorThreshold === undefined
            ? ` It starts once the project has ${spike.warmupMinutes} minutes of history.`
            : ` Errors are dropped above ${errorThreshold.thresholdPerMinute.toLocaleString()} a minute now.`}
        </p>
        {saveMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('save the project settings', saveMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            {saveMutation.isPending ? 'Saving…' : 'Save project settings'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
