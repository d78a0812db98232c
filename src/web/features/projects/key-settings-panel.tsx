import '../stats/stats.css';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { ProjectKey } from '../../../shared/api/accounts';
import type { KeyIngestSettings, RateLimitSetting } from '../../../shared/api/stats';
import { Panel } from '../../components/panel';
import { queryKeys } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { updateProjectKey } from '../stats/query-options';
import { rotateProjectKey } from './key-rotation';

/** A key as the keys API returns it, with its ingest settings. */
export type ProjectKeyWithSettings = ProjectKey & KeyIngestSettings;

interface KeySettingsPanelProps {
  orgSlug: string;
  projectSlug: string;
  projectKey: ProjectKeyWithSettings;
}

/** Rate-limit windows offered in the form, in seconds. */
const WINDOWS = [
  { seconds: 60, label: 'per minute' },
  { seconds: 3_600, label: 'per hour' },
  { seconds: 86_400, label: 'per day' },
];

/**
 * Renders a form to rename a key, turn it on or off, set its rate limit and list the domains
 * browsers may send from.
 */
export function KeySettingsPanel({ orgSlug, projectSlug, projectKey }: KeySettingsPanelProps) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(projectKey.name);
  const [isActive, setIsActive] = useState(projectKey.isActive);
  const [count, setCount] = useState(projectKey.rateLimit?.count.toString() ?? '');
  const [windowSeconds, setWindowSeconds] = useState(projectKey.rateLimit?.window ?? 60);
  const [domains, setDomains] = useState(projectKey.allowedDomains.join('\n'));
  const fieldId = (field: string) => `key-${projectKey.id}-${field}`;

  const saveMutation = useMutation({
    mutationFn: () =>
      updateProjectKey(orgSlug, projectSlug, projectKey.id, {
        name: name.trim(),
        isActive,
        rateLimit: toRateLimit(count, windowSeconds),
        allowedDomains: domains
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: queryKeys.projectKeys(orgSlug, projectSlug) }),
  });

  const rotateMutation = useMutation({
    mutationFn: () => rotateProjectKey(orgSlug, projectSlug, projectKey.id),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: queryKeys.projectKeys(orgSlug, projectSlug) }),
  });

  function handleRotate() {
    const confirmed = window.confirm(
      `Rotate ${projectKey.name}? A new key with the same settings is created and this key is disabled: SDKs still sending with it are rejected within seconds.`,
    );
    if (confirmed) {
      rotateMutation.mutate();
    }
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    saveMutation.mutate();
  }

  const windowOptions = WINDOWS.some((option) => option.seconds === windowSeconds)
    ? WINDOWS
    : [...WINDOWS, { seconds: windowSeconds, label: `per ${windowSeconds} seconds` }];

  return (
    <Panel className="key-settings" title={`Settings of ${projectKey.name}`}>
      <form className="form" onSubmit={handleSubmit} aria-label={`Settings of ${projectKey.name}`}>
        <label className="field" htmlFor={fieldId('name')}>
          <span className="field-label">Name</span>
          <input
            id={fieldId('name')}
            required
            maxLength={64}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </label>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={isActive}
            onChange={(event) => {
              setIsActive(event.target.checked);
            }}
          />
          <span>Enabled: events sent with this key are accepted</span>
        </label>
        <div className="field">
          <span className="field-label">Rate limit</span>
          <div className="field-row">
            <input
              aria-label="Events allowed"
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
              aria-label="Rate limit window"
              value={windowSeconds}
              onChange={(event) => {
                setWindowSeconds(Number(event.target.value));
              }}
            >
              {windowOptions.map((option) => (
                <option key={option.seconds} value={option.seconds}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <span className="field-help">
            Errors above this number are dropped and the SDK is told to wait. Leave empty, or enter
            0, for no limit; to stop a key entirely, disable it.
          </span>
        </div>
        <label className="field" htmlFor={fieldId('domains')}>
          <span className="field-label">Allowed domains</span>
          <textarea
            id={fieldId('domains')}
            value={domains}
            onChange={(event) => {
              setDomains(event.target.value);
            }}
          />
          <span className="field-help">
            One per line: <code>*</code>, <code>example.com</code>, <code>*.example.com</code> or{' '}
            <code>https://example.com</code>. Browsers on other origins get 403. An empty list
            rejects every browser.
          </span>
        </label>
        {saveMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('save the key', saveMutation.error)}
          </div>
        ) : null}
        {saveMutation.isSuccess ? (
          <div className="alert alert-success" role="status">
            Key saved.
          </div>
        ) : null}
        {rotateMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('rotate the key', rotateMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            {saveMutation.isPending ? 'Saving…' : 'Save key'}
          </button>
          <button
            type="button"
            className="button"
            disabled={rotateMutation.isPending}
            onClick={handleRotate}
          >
            {rotateMutation.isPending ? 'Rotating…' : 'Rotate key'}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function toRateLimit(count: string, windowSeconds: number): RateLimitSetting | null {
  const parsed = Number(count);
  return count.trim() === '' || !Number.isInteger(parsed) || parsed <= 0
    ? null
    : { count: parsed, window: windowSeconds };
}
