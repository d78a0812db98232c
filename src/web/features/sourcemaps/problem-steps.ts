/**
 * The plain-language text of every source map problem code: what is missing, why it matters,
 * and what to do, with the commands filled in for the frame at hand.
 */
import type { FrameMappingProblem } from '../../../shared/api/sourcemaps';
import type { FrameMapping } from './frame-mapping';
import type { ChecklistStep, RichText } from './mapping-checklist';
import {
  buildInjectCommand,
  buildUploadCommand,
  shellQuote,
  type UploadTarget,
} from './upload-commands';

/** Values of one frame that the problem texts refer to, worked out once. */
export interface StepContext {
  mapping: FrameMapping;
  target: UploadTarget | null;
  /** URL of the minified file as the SDK reported it. */
  frameUrl: string;
  /** `frameUrl` as a `~/path`, the name release files are matched by. */
  lookupPath: string;
  urlPrefix: string;
  minifiedName: string;
  mapName: string;
  /** Line and column in the minified file. */
  line: number | null;
  column: number | null;
  originalFile: string | null;
}

type ChecklistStepText = Omit<ChecklistStep, 'problem'>;

const code = (text: string) => ({ code: text });

const PROBLEM_STEPS: Record<FrameMappingProblem, (context: StepContext) => ChecklistStepText> = {
  no_debug_id_match: (context) => ({
    title:
      context.mapping.debugId === undefined
        ? ["No uploaded source map has this file's debug ID"]
        : ['No uploaded source map has debug ID ', code(context.mapping.debugId)],
    detail: [
      'The event names this debug ID for ',
      code(context.minifiedName),
      ', but no source map with it was uploaded to this project.',
    ],
    action: [
      'Upload the source maps of the build that is deployed, after ',
      code('sentry-cli sourcemaps inject'),
      ' ran on it. Maps of another build carry other debug IDs, and maps uploaded to another project are not used here.',
    ],
    commands: [buildUploadCommand({ target: context.target, release: context.mapping.release })],
  }),
  no_release: (context) => ({
    title: ['This file has no debug ID, and the event has no release'],
    detail: [
      'Picket finds a source map by the debug ID that the SDK reports for the file, or else by the release of the event and the URL of the file. This event has neither.',
    ],
    action: [
      'Run ',
      code('sentry-cli sourcemaps inject'),
      ' on your build, deploy the injected files and upload them. Or set ',
      code('release'),
      ' in the SDK options and upload the maps for that release.',
    ],
    commands: [buildInjectCommand(), buildUploadCommand({ target: context.target })],
  }),
  no_file_at_url: (context) => ({
    title: [...releaseWords(context), ' has no file at ', code(context.lookupPath)],
    detail: [
      'Picket looked for ',
      code(context.frameUrl),
      ...(context.lookupPath === context.frameUrl ? [] : [' and ', code(context.lookupPath)]),
      ' among the files of the release',
      ...distWords(context),
      ', and found neither the minified file nor a source map at that URL.',
    ],
    action: [
      'Upload ',
      code(context.minifiedName),
      ' and ',
      code(context.mapName),
      ...releaseFor(context),
      ' with ',
      code(`--url-prefix ${shellQuote(context.urlPrefix)}`),
      ', so that their names match the URL the code was loaded from.',
    ],
    commands: [releaseUploadCommand(context)],
  }),
  no_source_map_reference: (context) => ({
    title: [code(context.minifiedName), ' names no source map'],
    detail: [
      'The minified file was found, but it has no ',
      code('Sourcemap'),
      ' header and no ',
      code('//# sourceMappingURL='),
      ' comment, and no map was uploaded at ',
      code(`${context.mapping.minifiedFile ?? context.lookupPath}.map`),
      '.',
    ],
    action: [
      'Build with source maps turned on, so that the file ends with ',
      code(`//# sourceMappingURL=${context.mapName}`),
      ', and upload the file and its map together. sentry-cli then stores the reference as a ',
      code('Sourcemap'),
      ' header.',
    ],
    commands: [releaseUploadCommand(context)],
  }),
  source_map_not_found: (context) => ({
    title: ['Source map ', code(context.mapping.sourceMap ?? context.mapName), ' was not uploaded'],
    detail: [
      code(context.minifiedName),
      ' refers to this source map, but ',
      ...(context.mapping.release === undefined
        ? ['no upload has a file']
        : [...releaseWords(context), ' has no file']),
      ' at that location.',
    ],
    action: [
      'Upload ',
      code(context.mapName),
      ' together with ',
      code(context.minifiedName),
      ', with the same ',
      code('--url-prefix'),
      ', so that the reference finds it.',
    ],
    commands: [releaseUploadCommand(context)],
  }),
  artifact_unreadable: (context) => ({
    title: ['A stored file could not be read'],
    detail: [
      'Picket found ',
      code(context.mapping.sourceMap ?? context.mapping.minifiedFile ?? context.minifiedName),
      ' for this frame, but reading it from the blob store failed.',
    ],
    action: [
      'Check the server log for blob store errors. Deleting the upload on the source maps page and uploading it again stores a new copy.',
    ],
    commands: [],
  }),
  invalid_source_map: (context) => ({
    title: ['Source map ', code(context.mapName), ' could not be read'],
    detail: ['It is not valid JSON, not a version 3 source map, or its mappings are broken.'],
    action: [
      'Check that the uploaded file is the map your bundler wrote for ',
      code(context.minifiedName),
      ', and upload it again. The ',
      code('--validate'),
      ' option of sentry-cli checks maps before the upload.',
    ],
    commands: [
      buildUploadCommand({
        target: context.target,
        release: context.mapping.release,
        dist: context.mapping.dist,
        urlPrefix: context.mapping.resolvedWith === 'debug-id' ? null : context.urlPrefix,
        validate: true,
      }),
    ],
  }),
  line_out_of_range: (context) => ({
    title: [
      `Line ${context.line ?? '?'} is past the end of the source map `,
      code(context.mapName),
    ],
    detail: [
      'The map has fewer lines than the code that ran, so it was made for a different build of ',
      code(context.minifiedName),
      '.',
    ],
    action: [
      'Upload the maps of the build you deployed. A new release name for each build, or debug IDs from ',
      code('sentry-cli sourcemaps inject'),
      ', keep the maps of different builds apart.',
    ],
    commands: [
      buildInjectCommand(),
      buildUploadCommand({ target: context.target, release: context.mapping.release }),
    ],
  }),
  no_mapping_at_position: (context) => ({
    title: [
      'Source map ',
      code(context.mapName),
      ` has no mapping at line ${context.line ?? '?'}, column ${context.column ?? '?'}`,
    ],
    detail: [
      'The map covers this line but not this position. Code that the bundler generated, such as module wrappers, often has no original location.',
    ],
    action: [
      'If this frame should map, check that the map was built from the same file that ran, because any rebuild moves positions.',
    ],
    commands: [],
  }),
  missing_sources_content: (context) => ({
    title: ['Source map ', code(context.mapName), ' includes no source code'],
    detail: [
      'The frame was mapped',
      ...(context.originalFile === null ? [] : [' to ', code(context.originalFile)]),
      ', but the map has no ',
      code('sourcesContent'),
      ', so the original lines cannot be shown.',
    ],
    action: [
      'Include sources in the map (',
      code('sourcesContent'),
      ') in the source map options of your bundler, and upload it again. esbuild includes them unless ',
      code('sourcesContent: false'),
      ' is set, and webpack includes them with ',
      code("devtool: 'source-map'"),
      '. ',
      code('sentry-cli sourcemaps upload'),
      ' fills in missing sources only when the ',
      code('sources'),
      ' paths of the map resolve from the folder it runs in, so otherwise run the upload from the folder that those paths are relative to.',
    ],
    commands: [
      context.mapping.resolvedWith === 'release'
        ? releaseUploadCommand(context)
        : buildUploadCommand({ target: context.target, release: context.mapping.release }),
    ],
  }),
  missing_location: () => ({
    title: ['The frame has no line or column'],
    detail: [
      'A source map lookup needs both the line and the column in the minified code, and the SDK did not send them for this frame.',
    ],
    action: ['No upload can fix this frame, because the position has to come from the SDK.'],
    commands: [],
  }),
};

function releaseUploadCommand(context: StepContext): string {
  return buildUploadCommand({
    target: context.target,
    release: context.mapping.release,
    dist: context.mapping.dist,
    urlPrefix: context.urlPrefix,
  });
}

function releaseWords(context: StepContext): RichText {
  return context.mapping.release === undefined
    ? ['The release']
    : ['Release ', code(context.mapping.release)];
}

function releaseFor(context: StepContext): RichText {
  return context.mapping.release === undefined
    ? []
    : [' for release ', code(context.mapping.release)];
}

function distWords(context: StepContext): RichText {
  return context.mapping.dist === undefined
    ? [' without a distribution']
    : [' with distribution ', code(context.mapping.dist)];
}

/** Describes one problem code of the current contract for the frame of `context`. */
export function describeProblem(
  problem: FrameMappingProblem,
  context: StepContext,
): ChecklistStepText {
  return PROBLEM_STEPS[problem](context);
}

/** Describes a problem code that this page does not know, naming the code. */
export function describeUnknownProblem(problem: string): ChecklistStepText {
  return {
    title: ['Problem ', code(problem)],
    detail: ['The server recorded a problem that this page has no description for.'],
    action: [],
    commands: [],
  };
}
