import type { Member } from '../../../shared/api/members';
import type { Team } from '../../../shared/api/accounts';
import {
  ACTION_IDS,
  type RuleCatalogEntry,
  type RuleFieldSpec,
  type RuleNode,
} from '../../../shared/api/alerts';
import { CopyButton } from '../../components/copy-button';
import { fieldDisplayName, fieldsOutsideLabel, parseLabelTemplate } from './rule-template';

/** Teams and members that an e-mail action can name. */
export interface EmailTargets {
  teams: Team[];
  members: Member[];
}

interface RuleNodeFieldsProps {
  entry: RuleCatalogEntry;
  node: RuleNode;
  targets: EmailTargets;
  onChange: (node: RuleNode) => void;
}

/**
 * Renders a node's label template with an input in the place of each `{field}`, then the
 * fields that the label does not place. E-mail actions get team and member pickers.
 */
export function RuleNodeFields({ entry, node, targets, onChange }: RuleNodeFieldsProps) {
  const setField = (name: string, value: string) => {
    onChange({ ...node, [name]: value });
  };

  if (entry.id === ACTION_IDS.email) {
    return <EmailActionFields entry={entry} node={node} targets={targets} onChange={onChange} />;
  }

  return (
    <div className="rule-node-body">
      {parseLabelTemplate(entry.label).map((part, index) =>
        part.kind === 'text' ? (
          <span key={index}>{part.text}</span>
        ) : (
          <FieldInput
            key={index}
            name={part.name}
            spec={entry.fields[part.name]}
            value={node[part.name]}
            onChange={(value) => {
              setField(part.name, value);
            }}
          />
        ),
      )}
      {fieldsOutsideLabel(entry).map((name) => (
        <label key={name} className="rule-node-body">
          <span>{fieldDisplayName(name)}</span>
          <FieldInput
            name={name}
            spec={entry.fields[name]}
            value={node[name]}
            onChange={(value) => {
              setField(name, value);
            }}
          />
        </label>
      ))}
      {entry.id === ACTION_IDS.webhook && typeof node.secret === 'string' ? (
        <SigningSecret secret={node.secret} />
      ) : null}
    </div>
  );
}

interface FieldInputProps {
  name: string;
  spec: RuleFieldSpec | undefined;
  value: unknown;
  onChange: (value: string) => void;
}

function FieldInput({ name, spec, value, onChange }: FieldInputProps) {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const label = fieldDisplayName(name);

  if (spec?.type === 'choice') {
    const known = spec.choices.some(([choice]) => choice === text);
    return (
      <select
        aria-label={label}
        value={text}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {known ? null : <option value={text}>{text === '' ? 'Choose…' : text}</option>}
        {spec.choices.map(([choice, choiceLabel]) => (
          <option key={choice} value={choice}>
            {choiceLabel}
          </option>
        ))}
      </select>
    );
  }

  if (spec?.type === 'number') {
    return (
      <input
        aria-label={label}
        type="number"
        required
        min={spec.min}
        max={spec.max}
        placeholder={spec.placeholder}
        value={text}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    );
  }

  const optional = spec?.type === 'string' && spec.optional === true;
  return (
    <input
      aria-label={label}
      className={name === 'url' ? 'rule-url' : undefined}
      type="text"
      inputMode={name === 'url' ? 'url' : undefined}
      required={!optional}
      placeholder={spec?.type === 'string' ? spec.placeholder : undefined}
      value={text}
      onChange={(event) => {
        onChange(event.target.value);
      }}
    />
  );
}

function EmailActionFields({ entry, node, targets, onChange }: RuleNodeFieldsProps) {
  const targetType = typeof node.targetType === 'string' ? node.targetType : 'IssueOwners';
  const identifier =
    typeof node.targetIdentifier === 'string' || typeof node.targetIdentifier === 'number'
      ? String(node.targetIdentifier)
      : '';
  const members = targets.members.filter((member) => member.user !== null && !member.pending);

  return (
    <div className="rule-node-body">
      {parseLabelTemplate(entry.label).map((part, index) =>
        part.kind === 'text' ? (
          <span key={index}>{part.text}</span>
        ) : (
          <FieldInput
            key={index}
            name={part.name}
            spec={entry.fields[part.name]}
            value={part.name === 'targetType' ? targetType : node[part.name]}
            onChange={(value) => {
              // A new target type needs a new team or member, so the old identifier goes.
              onChange(
                part.name === 'targetType'
                  ? { ...node, targetType: value, targetIdentifier: '' }
                  : { ...node, [part.name]: value },
              );
            }}
          />
        ),
      )}
      {targetType === 'Team' ? (
        <TargetSelect
          label="Team"
          value={identifier}
          options={targets.teams.map((team) => [team.id, `#${team.slug}`])}
          onChange={(value) => {
            onChange({ ...node, targetIdentifier: value });
          }}
        />
      ) : null}
      {targetType === 'Member' ? (
        <TargetSelect
          label="Member"
          value={identifier}
          options={members.map((member) => [member.user?.id ?? '', member.email])}
          onChange={(value) => {
            onChange({ ...node, targetIdentifier: value });
          }}
        />
      ) : null}
      {targetType === 'IssueOwners' ? (
        <>
          <span>and, without an assignee, to</span>
          <FieldInput
            name="fallthroughType"
            spec={entry.fields.fallthroughType}
            value={node.fallthroughType}
            onChange={(value) => {
              onChange({ ...node, fallthroughType: value });
            }}
          />
        </>
      ) : null}
    </div>
  );
}

interface TargetSelectProps {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}

function TargetSelect({ label, value, options, onChange }: TargetSelectProps) {
  return (
    <select
      aria-label={label}
      required
      value={value}
      onChange={(event) => {
        onChange(event.target.value);
      }}
    >
      <option value="" disabled>
        {`Choose a ${label.toLowerCase()}…`}
      </option>
      {options.map(([id, text]) => (
        <option key={id} value={id}>
          {text}
        </option>
      ))}
    </select>
  );
}

/** Shows a webhook's signing secret, which receivers need to check `X-Picket-Signature`. */
export function SigningSecret({ secret }: { secret: string }) {
  return (
    <div className="signing-secret">
      <span className="muted">Signing secret</span>
      <code data-testid="signing-secret">{secret}</code>
      <CopyButton text={secret} label="Copy signing secret" />
    </div>
  );
}
