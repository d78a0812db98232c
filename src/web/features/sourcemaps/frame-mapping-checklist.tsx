import './sourcemaps.css';

import { useContext } from 'react';
import { Link } from 'react-router';

import type { StackFrame } from '../../../shared/api/events';
import { CodeBlock } from '../../components/code-block';
import { EventText } from '../../components/event-text';
import type { FrameMapping } from './frame-mapping';
import { buildMappingChecklist } from './mapping-checklist';
import { sourceMapsSettingsPath } from './query-options';
import { RichTextView } from './rich-text-view';
import { EventReleaseContext, UploadTargetContext } from './upload-target';

interface FrameMappingChecklistProps {
  mapping: FrameMapping;
  frame: StackFrame;
  /** The minified frame at the same position, when the event kept one. */
  rawFrame: StackFrame | null;
}

/**
 * Explains why a frame was not mapped, or what a mapped frame lacks: the values the lookup
 * used, then one step per problem with what to do and the commands to run.
 */
export function FrameMappingChecklist({ mapping, frame, rawFrame }: FrameMappingChecklistProps) {
  const target = useContext(UploadTargetContext);
  const eventRelease = useContext(EventReleaseContext);
  const checklist = buildMappingChecklist({ mapping, frame, rawFrame, target, eventRelease });
  const heading =
    mapping.status === 'unmapped' ? 'Why this frame is not mapped' : 'Source map problems';

  return (
    <section className="frame-mapping" aria-label={heading}>
      <h4 className="frame-mapping-title">{heading}</h4>
      <dl className="frame-mapping-facts">
        {checklist.facts.map((fact) => (
          <div key={fact.label} className="frame-mapping-fact">
            <dt>{fact.label}</dt>
            <dd>
              {fact.value === null ? (
                <span className="muted">{fact.missingText}</span>
              ) : (
                <code className="inline-code">
                  <EventText>{fact.value}</EventText>
                </code>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {checklist.hints.length === 0 ? null : (
        <ul className="frame-mapping-hints" aria-label="Likely mistakes">
          {checklist.hints.map((hint, index) => (
            <li key={index}>
              <RichTextView text={hint} />
            </li>
          ))}
        </ul>
      )}
      <ol className="frame-mapping-steps">
        {checklist.steps.map((step, index) => (
          <li key={`${step.problem}-${index}`} data-problem={step.problem}>
            <p className="frame-mapping-step-title">
              <RichTextView text={step.title} />
            </p>
            <p>
              <RichTextView text={step.detail} />
            </p>
            {step.action.length === 0 ? null : (
              <p>
                <strong>What to do: </strong>
                <RichTextView text={step.action} />
              </p>
            )}
            {step.commands.length === 0 ? null : (
              <CodeBlock code={step.commands.join('\n')} copyLabel="Copy the commands" />
            )}
            {step.commandNote === null ? null : (
              <p className="muted frame-mapping-command-note">
                <RichTextView text={step.commandNote} />
              </p>
            )}
          </li>
        ))}
      </ol>
      {target === null ? null : (
        <p className="frame-mapping-link">
          <Link to={sourceMapsSettingsPath(target.orgSlug, target.projectSlug)}>
            Source maps of {target.projectSlug}
          </Link>
          <span className="muted"> lists what was uploaded and how to set up sentry-cli.</span>
        </p>
      )}
    </section>
  );
}
