import type { StackFrame } from '../../../shared/api/events';
import { fileNameOf, toTildePath, urlPrefixOf } from './artifact-paths';
import { isFrameMappingProblem, type FrameMapping } from './frame-mapping';
import { describeProblem, describeUnknownProblem, type StepContext } from './problem-steps';
import { buildFolderNote, shellQuote, type UploadTarget } from './upload-commands';

/**
 * Text with inline code. Values from the event (file names, releases) go into `code` parts, so
 * that they are shown apart from the words around them and are never parsed as markup.
 */
export type RichText = readonly (string | { code: string })[];

/** One thing the lookup used or looked for, such as the debug ID or the release. */
export interface ChecklistFact {
  label: string;
  /** Null when the lookup had no such value or did not find it. */
  value: string | null;
  /** Shown in place of a null value, as "none in the event". */
  missingText: string;
}

/** One problem: what is wrong, why, and what to do about it. */
export interface ChecklistStep {
  problem: string;
  title: RichText;
  detail: RichText;
  action: RichText;
  /** Shell commands that carry out the action, with the values of this frame filled in. */
  commands: string[];
}

/** A checklist step with the note that goes under its commands, null when they need none. */
export interface ChecklistStepWithNote extends ChecklistStep {
  commandNote: RichText | null;
}

export interface MappingChecklist {
  facts: ChecklistFact[];
  /** Sentences naming the likely mistake behind a missing file, from the server's hints. */
  hints: RichText[];
  steps: ChecklistStepWithNote[];
}

export interface ChecklistInput {
  mapping: FrameMapping;
  /** The frame as shown: mapped to the original source, or still minified. */
  frame: StackFrame;
  /** The minified frame at the same position, from `rawStacktrace`, when the event has one. */
  rawFrame: StackFrame | null;
  target: UploadTarget | null;
  /** The event's release: null when the event has none, and undefined when it is not known. */
  eventRelease?: string | null;
}

/**
 * Builds the checklist of one frame: the values the source map lookup used or looked for, and
 * one step per problem with its explanation and the commands that fix it.
 */
export function buildMappingChecklist(input: ChecklistInput): MappingChecklist {
  const context = buildStepContext(input);
  // Commands that upload under the frame's URL prefix need the folder that contains the file.
  const prefixOption =
    context.urlPrefix === '' ? null : ` --url-prefix ${shellQuote(context.urlPrefix)} `;
  const steps = input.mapping.problems.map((problem): ChecklistStepWithNote => {
    const step = {
      problem,
      ...(isFrameMappingProblem(problem)
        ? describeProblem(problem, context)
        : describeUnknownProblem(problem)),
    };
    const commandNote =
      prefixOption !== null && step.commands.some((command) => command.includes(prefixOption))
        ? buildFolderNote(context.minifiedName)
        : null;
    return { ...step, commandNote };
  });

  if (steps.length === 0 && input.mapping.status === 'unmapped') {
    steps.push({
      problem: 'unknown',
      title: ['Not mapped, and no reason was recorded'],
      detail: ['The server stored no problem code for this frame.'],
      action: [],
      commands: [],
      commandNote: null,
    });
  }

  return {
    facts: buildFacts(input.mapping, context, input.eventRelease),
    hints: describeHints(input.mapping),
    steps,
  };
}

/** Joins rich text into plain text, with inline code in backticks. */
export function toPlainText(text: RichText): string {
  return text.map((part) => (typeof part === 'string' ? part : `\`${part.code}\``)).join('');
}

function buildStepContext({ mapping, frame, rawFrame, target }: ChecklistInput): StepContext {
  const minifiedFrame = rawFrame ?? (mapping.status === 'unmapped' ? frame : null);
  const frameUrl =
    minifiedFrame?.absPath ??
    minifiedFrame?.filename ??
    mapping.minifiedFile ??
    frame.absPath ??
    frame.filename ??
    '';
  const lookupPath = toTildePath(frameUrl);
  const minifiedPath =
    mapping.minifiedFile === undefined ? lookupPath : toTildePath(mapping.minifiedFile);
  const minifiedName = fileNameOf(minifiedPath);
  const mapName =
    mapping.sourceMap === undefined ? `${minifiedName}.map` : fileNameOf(mapping.sourceMap);

  return {
    mapping,
    target,
    frameUrl,
    lookupPath,
    urlPrefix: urlPrefixOf(minifiedPath),
    minifiedName,
    mapName,
    line: (minifiedFrame ?? frame).lineNo ?? null,
    column: (minifiedFrame ?? frame).colNo ?? null,
    originalFile: mapping.status === 'mapped' ? (frame.filename ?? frame.absPath ?? null) : null,
  };
}

function buildFacts(
  mapping: FrameMapping,
  context: StepContext,
  eventRelease: string | null | undefined,
): ChecklistFact[] {
  const eventHasNoRelease = eventRelease === null || mapping.problems.includes('no_release');
  const facts: ChecklistFact[] = [
    { label: 'Minified file URL', value: context.frameUrl || null, missingText: 'not reported' },
    {
      label: 'Position',
      value:
        context.line === null
          ? null
          : `line ${context.line}${context.column === null ? '' : `, column ${context.column}`}`,
      missingText: 'not reported',
    },
    {
      label: 'Debug ID',
      value: mapping.debugId ?? null,
      missingText: 'none in the event for this file',
    },
    {
      label: 'Release',
      value: mapping.release ?? null,
      missingText: eventHasNoRelease ? 'none in the event' : 'not used for this frame',
    },
  ];

  if (mapping.release !== undefined) {
    facts.push({ label: 'Distribution', value: mapping.dist ?? null, missingText: 'none' });
    facts.push({ label: 'Looked up as', value: context.lookupPath, missingText: '' });
  }

  if (mapping.release !== undefined || mapping.minifiedFile !== undefined) {
    facts.push({
      label: 'Minified file found',
      value: mapping.minifiedFile ?? null,
      missingText: 'not found',
    });
  }

  facts.push({ label: 'Source map', value: mapping.sourceMap ?? null, missingText: 'not found' });
  return facts;
}

/** Joins values into inline code separated by commas. */
function codeList(values: readonly string[]): RichText {
  return values.flatMap((value, index) =>
    index === 0 ? [{ code: value }] : [', ', { code: value }],
  );
}

/**
 * Turns the server's lookup hints into sentences that name the likely mistake: a release with
 * no uploads, a wrong `--url-prefix`, a wrong release name, or an upload to another project.
 */
export function describeHints(mapping: FrameMapping): RichText[] {
  const hints = mapping.hints;
  if (hints === undefined) {
    return [];
  }
  const release = mapping.release;
  const sentences: RichText[] = [];
  if (hints.releaseFileCount === 0 && release !== undefined) {
    sentences.push([
      'Release ',
      { code: release },
      ' has no uploaded files at all: the upload went to another release, or did not happen.',
    ]);
  }
  if (hints.sameNameUrls !== undefined && hints.sameNameUrls.length > 0) {
    sentences.push([
      'The release holds a file of the same name at ',
      ...codeList(hints.sameNameUrls),
      ': the ',
      { code: '--url-prefix' },
      ' of the upload probably differs from the path the browser loads.',
    ]);
  }
  if (hints.otherReleases !== undefined && hints.otherReleases.length > 0) {
    sentences.push([
      'This URL was uploaded for ',
      hints.otherReleases.length === 1 ? 'release ' : 'releases ',
      ...codeList(hints.otherReleases),
      ': the SDK may send another release name than the one given to sentry-cli.',
    ]);
  }
  if (hints.otherProjects !== undefined && hints.otherProjects.length > 0) {
    sentences.push([
      hints.otherProjects.length === 1 ? 'Project ' : 'Projects ',
      ...codeList(hints.otherProjects),
      hints.otherProjects.length === 1
        ? ' of this organization holds '
        : ' of this organization hold ',
      mapping.problems[0] === 'no_debug_id_match'
        ? 'a map with this debug ID'
        : 'a file at this URL',
      ': upload it to this project too, or send the events to that one.',
    ]);
  }
  return sentences;
}
