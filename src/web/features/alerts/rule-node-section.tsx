import type { ReactNode } from 'react';

import type { RuleCatalogEntry, RuleMatch, RuleNode } from '../../../shared/api/alerts';
import { createNode } from './rule-draft';
import { RuleNodeFields, type EmailTargets } from './rule-node-fields';
import { findCatalogEntry } from './rule-template';

const MATCH_LABELS: [RuleMatch, string][] = [
  ['all', 'all'],
  ['any', 'any'],
  ['none', 'none'],
];

interface MatchSelectProps {
  label: string;
  value: RuleMatch;
  onChange: (value: RuleMatch) => void;
}

/** Renders the all / any / none choice of a rule's conditions or filters. */
export function MatchSelect({ label, value, onChange }: MatchSelectProps) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(event) => {
        onChange(event.target.value as RuleMatch);
      }}
    >
      {MATCH_LABELS.map(([match, text]) => (
        <option key={match} value={match}>
          {text}
        </option>
      ))}
    </select>
  );
}

interface RuleNodeSectionProps {
  /** Singular noun of the rows, as "condition", used in labels. */
  noun: string;
  heading: ReactNode;
  entries: readonly RuleCatalogEntry[];
  nodes: RuleNode[];
  targets: EmailTargets;
  errors: string[] | undefined;
  onChange: (nodes: RuleNode[]) => void;
}

/**
 * Renders one part of the rule (conditions, filters or actions): a row per node with its
 * inputs and a remove button, a select that adds a row from the catalog, and the server's
 * errors about the part.
 */
export function RuleNodeSection(props: RuleNodeSectionProps) {
  const { noun, heading, entries, nodes, targets, errors, onChange } = props;
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  const errorId = `rule-${noun}-errors`;

  return (
    <section className="rule-section" aria-describedby={errors === undefined ? undefined : errorId}>
      <div className="rule-section-heading">{heading}</div>
      {nodes.length === 0 ? <p className="muted">{`No ${noun}s yet.`}</p> : null}
      <ol className="rule-node-list">
        {nodes.map((node, index) => {
          const entry = findCatalogEntry(entries, node.id);
          const position = index + 1;
          return (
            <li key={index}>
              <div className="rule-node" role="group" aria-label={`${title} ${position}`}>
                {entry === undefined ? (
                  <span className="rule-node-body">{`Unknown ${noun}: ${node.id}`}</span>
                ) : (
                  <RuleNodeFields
                    entry={entry}
                    node={node}
                    targets={targets}
                    onChange={(changed) => {
                      onChange(nodes.map((current, at) => (at === index ? changed : current)));
                    }}
                  />
                )}
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Remove ${noun} ${position}`}
                  onClick={() => {
                    onChange(nodes.filter((_, at) => at !== index));
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <select
        aria-label={`Add ${noun}`}
        value=""
        onChange={(event) => {
          const entry = findCatalogEntry(entries, event.target.value);
          if (entry !== undefined) {
            onChange([...nodes, createNode(entry)]);
          }
        }}
      >
        <option value="">{`Add ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}…`}</option>
        {entries.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.label.replace(/\{([A-Za-z_]+)\}/g, '…')}
          </option>
        ))}
      </select>
      {errors === undefined ? null : <FieldErrorText id={errorId} messages={errors} />}
    </section>
  );
}

/** Renders the server's messages about one field beside it. */
export function FieldErrorText({ id, messages }: { id: string; messages: string[] }) {
  return (
    <div id={id} className="field-error" role="alert">
      {messages.join(' ')}
    </div>
  );
}
