import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';

import type { CreateMonitorRequest, IntervalUnit } from '../../../shared/api/crons';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { projectsOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { createMonitor, monitorPath } from './query-options';

const INTERVAL_UNITS: IntervalUnit[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];

/** IANA time zones offered in the form, UTC first. */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

interface NewMonitorFormProps {
  orgSlug: string;
  /** Numeric id of the project chosen at first, or null for the organization's first one. */
  defaultProjectId: string | null;
  onCancel: () => void;
}

interface FormValues {
  name: string;
  projectSlug: string;
  scheduleType: 'crontab' | 'interval';
  crontab: string;
  intervalCount: string;
  intervalUnit: IntervalUnit;
  margin: string;
  maxRuntime: string;
  timeZone: string;
}

/**
 * Renders the form that creates a cron monitor, for jobs that report over the HTTP check-in
 * URL, and opens the new monitor's page once the server has created it.
 */
export function NewMonitorForm({ orgSlug, defaultProjectId, onCancel }: NewMonitorFormProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const [values, setValues] = useState<Omit<FormValues, 'projectSlug'>>({
    name: '',
    scheduleType: 'crontab',
    crontab: '0 * * * *',
    intervalCount: '1',
    intervalUnit: 'hour',
    margin: '',
    maxRuntime: '',
    timeZone: 'UTC',
  });
  const [chosenProjectSlug, setChosenProjectSlug] = useState<string | null>(null);
  const formId = useId();
  const fieldId = (field: string) => `${formId}-${field}`;

  const createMutation = useMutation({
    mutationFn: (request: CreateMonitorRequest) => createMonitor(orgSlug, request),
    onSuccess: async (monitor) => {
      await queryClient.invalidateQueries({ queryKey: ['monitors', orgSlug] });
      await navigate(monitorPath(orgSlug, monitor.slug));
    },
  });

  if (projectsQuery.isPending) {
    return <LoadingIndicator label="Loading projects…" />;
  }
  if (projectsQuery.isError) {
    return (
      <LoadError message="Unable to load projects." onRetry={() => void projectsQuery.refetch()} />
    );
  }

  const projects = projectsQuery.data;
  const projectSlug =
    chosenProjectSlug ??
    (projects.find((project) => project.id === defaultProjectId) ?? projects[0])?.slug ??
    '';
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
  };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    createMutation.mutate(toRequest({ ...values, projectSlug }));
  }

  return (
    <Panel title="New monitor" className="new-monitor">
      <form className="form" onSubmit={handleSubmit} aria-label="New monitor">
        <div className="field-row">
          <div className="field">
            <label className="field-label" htmlFor={fieldId('name')}>
              Name
            </label>
            <input
              id={fieldId('name')}
              required
              maxLength={128}
              value={values.name}
              onChange={(event) => {
                set('name', event.target.value);
              }}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor={fieldId('project')}>
              Project
            </label>
            <select
              id={fieldId('project')}
              required
              value={projectSlug}
              onChange={(event) => {
                setChosenProjectSlug(event.target.value);
              }}
            >
              {projects.map((project) => (
                <option key={project.id} value={project.slug}>
                  {project.slug}
                </option>
              ))}
            </select>
          </div>
        </div>

        <fieldset className="field">
          <legend className="field-label">Schedule type</legend>
          <div className="field-row">
            {(['crontab', 'interval'] as const).map((type) => (
              <label key={type} className="radio-field">
                <input
                  type="radio"
                  name="schedule-type"
                  value={type}
                  checked={values.scheduleType === type}
                  onChange={() => {
                    set('scheduleType', type);
                  }}
                />
                <span>{type === 'crontab' ? 'Crontab' : 'Interval'}</span>
              </label>
            ))}
          </div>
        </fieldset>

        {values.scheduleType === 'crontab' ? (
          <label className="field">
            <span className="field-label">Crontab schedule</span>
            <input
              required
              className="monitor-schedule"
              value={values.crontab}
              onChange={(event) => {
                set('crontab', event.target.value);
              }}
            />
            <span className="field-help">
              Five fields: minute, hour, day of month, month and day of week, as{' '}
              <code>0 3 * * *</code> for every day at 03:00.
            </span>
          </label>
        ) : (
          <div className="field">
            <span className="field-label">Interval</span>
            <div className="field-row">
              <span className="muted">Every</span>
              <input
                aria-label="Interval count"
                type="number"
                required
                min={1}
                step={1}
                value={values.intervalCount}
                onChange={(event) => {
                  set('intervalCount', event.target.value);
                }}
              />
              <select
                aria-label="Interval unit"
                value={values.intervalUnit}
                onChange={(event) => {
                  set('intervalUnit', event.target.value as IntervalUnit);
                }}
              >
                {INTERVAL_UNITS.map((unit) => (
                  <option key={unit} value={unit}>
                    {`${unit}s`}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}

        <div className="field-row">
          <MinutesField
            label="Check-in margin (minutes)"
            help="How late a check-in may be before it counts as missed. Default: 1."
            value={values.margin}
            onChange={(value) => {
              set('margin', value);
            }}
          />
          <MinutesField
            label="Max runtime (minutes)"
            help="How long a job may stay in progress before it times out. Default: 30."
            value={values.maxRuntime}
            onChange={(value) => {
              set('maxRuntime', value);
            }}
          />
        </div>

        <div className="field">
          <label className="field-label" htmlFor={fieldId('time-zone')}>
            Time zone
          </label>
          <select
            id={fieldId('time-zone')}
            value={values.timeZone}
            onChange={(event) => {
              set('timeZone', event.target.value);
            }}
          >
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <span className="field-help">
            Crontab times, and intervals of days or longer, follow this time zone.
          </span>
        </div>

        {createMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('create the monitor', createMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={createMutation.isPending || projectSlug === ''}
          >
            {createMutation.isPending ? 'Creating…' : 'Create monitor'}
          </button>
        </div>
      </form>
    </Panel>
  );
}

interface MinutesFieldProps {
  label: string;
  help: string;
  value: string;
  onChange: (value: string) => void;
}

function MinutesField({ label, help, value, onChange }: MinutesFieldProps) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="number"
        min={1}
        step={1}
        placeholder="Default"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      <span className="field-help">{help}</span>
    </label>
  );
}

/** Builds the API request. Empty minute fields are sent as null, so the defaults apply. */
function toRequest(values: FormValues): CreateMonitorRequest {
  const minutes = (text: string) => (text.trim() === '' ? null : Number(text));

  return {
    name: values.name.trim(),
    project: values.projectSlug,
    type: 'cron_job',
    config: {
      schedule_type: values.scheduleType,
      schedule:
        values.scheduleType === 'crontab'
          ? values.crontab.trim()
          : [Number(values.intervalCount), values.intervalUnit],
      checkin_margin: minutes(values.margin),
      max_runtime: minutes(values.maxRuntime),
      timezone: values.timeZone,
    },
  };
}
