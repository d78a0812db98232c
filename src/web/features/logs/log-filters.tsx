import { useState, type SubmitEvent } from 'react';

import { LOG_LEVELS } from '../../../shared/api/logs';
import { EventText } from '../../components/event-text';
import { toggleLevel, type LogListChanges, type LogListParams } from './log-list-params';

interface LogFiltersProps {
  params: LogListParams;
  onChange: (changes: LogListChanges) => void;
}

/** Renders the log list's level toggles, text search and trace id filter. */
export function LogFilters({ params, onChange }: LogFiltersProps) {
  return (
    <div className="log-filters">
      <div className="log-level-toggles" role="group" aria-label="Levels">
        {LOG_LEVELS.map((level) => (
          <button
            key={level}
            type="button"
            className={`button button-small log-level-toggle log-level-${level}`}
            aria-pressed={params.levels.includes(level)}
            onClick={() => {
              onChange({ levels: toggleLevel(params.levels, level) });
            }}
          >
            {level}
          </button>
        ))}
      </div>
      <TextFilterForm
        key={`query-${params.query}`}
        name="query"
        className="log-query-form"
        label="Search logs"
        placeholder="Search log messages"
        buttonLabel="Search"
        initialValue={params.query}
        onSubmit={(query) => {
          onChange({ query });
        }}
      />
      <TextFilterForm
        key={`trace-${params.traceId}`}
        name="traceId"
        className="log-trace-form"
        label="Trace ID"
        placeholder="Trace ID"
        buttonLabel="Filter"
        initialValue={params.traceId}
        onSubmit={(traceId) => {
          onChange({ traceId });
        }}
      />
      {params.traceId === '' ? null : (
        <span className="chip log-trace-chip">
          <span className="chip-key">trace</span>
          <EventText className="chip-value mono">{params.traceId}</EventText>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              onChange({ traceId: '' });
            }}
          >
            Clear trace
          </button>
        </span>
      )}
    </div>
  );
}

interface TextFilterFormProps {
  name: string;
  className: string;
  label: string;
  placeholder: string;
  buttonLabel: string;
  initialValue: string;
  onSubmit: (value: string) => void;
}

/** Renders a text box that applies its filter on submit, as Sentry's search boxes do. */
function TextFilterForm(props: TextFilterFormProps) {
  const [value, setValue] = useState(props.initialValue);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit(value);
  }

  return (
    <form className={`search-form ${props.className}`} role="search" onSubmit={handleSubmit}>
      <input
        type="search"
        name={props.name}
        aria-label={props.label}
        placeholder={props.placeholder}
        value={value}
        onChange={(event) => {
          setValue(event.target.value);
        }}
      />
      <button type="submit" className="button">
        {props.buttonLabel}
      </button>
    </form>
  );
}
