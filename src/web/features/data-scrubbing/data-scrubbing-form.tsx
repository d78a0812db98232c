import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type {
  DataScrubbingPreviewResponse,
  DataScrubbingSettings,
} from '../../../shared/api/data-scrubbing';
import { describeFailure } from '../../lib/user-message';
import {
  EMPTY_RULE,
  METHODS,
  piiConfigToRules,
  RULE_TYPES,
  rulesToPiiConfig,
  type AdvancedRule,
} from './advanced-rules';
import {
  previewScrubbing,
  saveScrubbingSettings,
  scrubbingQueryKey,
  type ScrubbingScope,
} from './query-options';

const TOGGLES: {
  key: 'dataScrubber' | 'dataScrubberDefaults' | 'scrubIPAddresses';
  label: string;
  help: string;
}[] = [
  {
    key: 'dataScrubber',
    label: 'Data scrubber',
    help: 'Filter sensitive data: the default rules below and the additional sensitive fields.',
  },
  {
    key: 'dataScrubberDefaults',
    label: 'Use default scrubbers',
    help: 'Filter passwords, secrets, tokens, credit card numbers, PEM keys, passwords in URLs, cookies and credential headers.',
  },
  {
    key: 'scrubIPAddresses',
    label: 'Prevent storing of IP addresses',
    help: 'Remove the user IP address and REMOTE_ADDR, and replace IP addresses in any value with [ip].',
  },
];

const toLines = (fields: string[]) => fields.join('\n');
const fromLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

interface DataScrubbingFormProps {
  scope: ScrubbingScope;
  settings: DataScrubbingSettings;
  /** The organization's settings, shown on a project page because their flags apply too. */
  organization?: DataScrubbingSettings;
}

/** Edits data-scrubbing settings, with advanced rules and a preview on a stored event. */
export function DataScrubbingForm({ scope, settings, organization }: DataScrubbingFormProps) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState(settings);
  const [sensitiveText, setSensitiveText] = useState(toLines(settings.sensitiveFields));
  const [safeText, setSafeText] = useState(toLines(settings.safeFields));
  const initialRules = piiConfigToRules(settings.relayPiiConfig);
  const [rules, setRules] = useState<AdvancedRule[]>(initialRules ?? []);
  const [rawConfig, setRawConfig] = useState(
    initialRules === undefined ? (settings.relayPiiConfig ?? '') : undefined,
  );

  const current = (): DataScrubbingSettings => ({
    ...values,
    sensitiveFields: fromLines(sensitiveText),
    safeFields: fromLines(safeText),
    relayPiiConfig: rawConfig === undefined ? rulesToPiiConfig(rules) : rawConfig.trim() || null,
  });

  const save = useMutation({
    mutationFn: (next: DataScrubbingSettings) => saveScrubbingSettings(scope, next),
    onSuccess: (saved) => {
      queryClient.setQueryData(scrubbingQueryKey(scope), saved);
    },
  });
  const preview = useMutation({
    mutationFn: (next: DataScrubbingSettings) => previewScrubbing(scope, { settings: next }),
  });

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(current());
  };

  const updateRule = (index: number, change: Partial<AdvancedRule>) => {
    setRules(rules.map((rule, position) => (position === index ? { ...rule, ...change } : rule)));
  };

  return (
    <form className="form data-scrubbing-form" onSubmit={handleSubmit} aria-label="Data scrubbing">
      {TOGGLES.map((toggle) => (
        <label className="field field-checkbox" key={toggle.key}>
          <input
            type="checkbox"
            checked={values[toggle.key]}
            onChange={(event) => {
              setValues({ ...values, [toggle.key]: event.target.checked });
            }}
          />
          <span className="field-label">{toggle.label}</span>
          <span className="field-help">
            {toggle.help}
            {organization?.[toggle.key] === true
              ? ' The organization requires this for all projects.'
              : ''}
          </span>
        </label>
      ))}

      <label className="field">
        <span className="field-label">Additional sensitive fields</span>
        <span className="field-help">
          One field name a line; values of keys that contain it are filtered.
        </span>
        <textarea
          className="data-scrubbing-textarea mono"
          rows={4}
          value={sensitiveText}
          onChange={(event) => {
            setSensitiveText(event.target.value);
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">Safe fields</span>
        <span className="field-help">
          One field name or selector a line; the default rules skip them. Advanced rules still
          apply.
        </span>
        <textarea
          className="data-scrubbing-textarea mono"
          rows={4}
          value={safeText}
          onChange={(event) => {
            setSafeText(event.target.value);
          }}
        />
      </label>

      <fieldset className="data-scrubbing-rules">
        <legend>Advanced data scrubbing</legend>
        {rawConfig === undefined ? (
          <>
            {rules.map((rule, index) => (
              <RuleRow
                key={index}
                rule={rule}
                index={index}
                onChange={(change) => {
                  updateRule(index, change);
                }}
                onRemove={() => {
                  setRules(rules.filter((_, position) => position !== index));
                }}
              />
            ))}
            <button
              type="button"
              className="button"
              onClick={() => {
                setRules([...rules, EMPTY_RULE]);
              }}
            >
              Add rule
            </button>
          </>
        ) : (
          <label className="field">
            <span className="field-help">
              These rules use options the editor has no fields for, so they are shown as Relay PII
              config JSON.
            </span>
            <textarea
              className="data-scrubbing-textarea mono"
              rows={10}
              value={rawConfig}
              onChange={(event) => {
                setRawConfig(event.target.value);
              }}
            />
          </label>
        )}
      </fieldset>

      {save.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('save the data-scrubbing settings', save.error)}
        </div>
      ) : null}
      {save.isSuccess ? (
        <div className="alert alert-success" role="status">
          Saved. The worker applies the new settings to events that arrive from now on.
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          Save settings
        </button>
        <button
          type="button"
          className="button"
          disabled={preview.isPending}
          onClick={() => {
            preview.mutate(current());
          }}
        >
          Preview on the latest event
        </button>
      </div>
      {preview.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('preview the settings', preview.error)}
        </div>
      ) : null}
      {preview.data === undefined ? null : <PreviewResult result={preview.data} />}
    </form>
  );
}

interface RuleRowProps {
  rule: AdvancedRule;
  index: number;
  onChange: (change: Partial<AdvancedRule>) => void;
  onRemove: () => void;
}

function RuleRow({ rule, index, onChange, onRemove }: RuleRowProps) {
  return (
    <div className="data-scrubbing-rule" aria-label={`Rule ${index + 1}`} role="group">
      <label className="field">
        <span className="field-label">Data type</span>
        <select
          aria-label="Data type"
          value={rule.type}
          onChange={(event) => {
            onChange({ type: event.target.value });
          }}
        >
          {RULE_TYPES.map((type) => (
            <option key={type.value} value={type.value}>
              {type.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Method</span>
        <select
          aria-label="Method"
          value={rule.method}
          onChange={(event) => {
            onChange({ method: event.target.value as AdvancedRule['method'] });
          }}
        >
          {METHODS.map((method) => (
            <option key={method.value} value={method.value}>
              {method.label}
            </option>
          ))}
        </select>
      </label>
      {rule.method === 'replace' ? (
        <label className="field">
          <span className="field-label">Replacement</span>
          <input
            aria-label="Replacement"
            value={rule.text}
            onChange={(event) => {
              onChange({ text: event.target.value });
            }}
          />
        </label>
      ) : null}
      {rule.type === 'pattern' ? (
        <label className="field">
          <span className="field-label">Regex</span>
          <input
            aria-label="Regex"
            className="mono"
            value={rule.pattern}
            placeholder="ORD-[0-9]+"
            onChange={(event) => {
              onChange({ pattern: event.target.value });
            }}
          />
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">Source (selector)</span>
        <input
          aria-label="Source (selector)"
          className="mono"
          value={rule.selector}
          placeholder="$string, $http.headers.x-custom, extra.foo, $frame.vars.**"
          onChange={(event) => {
            onChange({ selector: event.target.value });
          }}
        />
      </label>
      <button type="button" className="button" onClick={onRemove}>
        Remove
      </button>
    </div>
  );
}

function PreviewResult({ result }: { result: DataScrubbingPreviewResponse }) {
  return (
    <section className="data-scrubbing-preview" aria-label="Preview">
      <h3>Preview of event {result.eventId}</h3>
      <p className="field-help">
        Stored events were already scrubbed with the settings in force when they arrived, so this
        shows only what these settings would remove in addition.
      </p>
      {result.changedPaths.length === 0 ? (
        <p>These settings would remove nothing more from this event.</p>
      ) : (
        <ul className="mono">
          {result.changedPaths.map((path) => (
            <li key={path}>{path}</li>
          ))}
        </ul>
      )}
      <pre className="data-scrubbing-json mono">{JSON.stringify(result.event, null, 2)}</pre>
    </section>
  );
}
