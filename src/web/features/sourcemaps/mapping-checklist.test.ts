import { describe, expect, it } from 'vitest';

import type { StackFrame } from '../../../shared/api/events';
import type { FrameMappingProblem } from '../../../shared/api/sourcemaps';
import { FRAME_MAPPING_PROBLEMS, type FrameMapping } from './frame-mapping';
import {
  buildMappingChecklist,
  describeHints,
  toPlainText,
  type ChecklistInput,
} from './mapping-checklist';

const TARGET = { orgSlug: 'acme', projectSlug: 'web' };
const DEBUG_ID = 'addcc2e4-5f5b-4c4e-9d7c-5d1d1d2f0a11';
const MINIFIED_FRAME: StackFrame = {
  filename: 'https://shop.example.com/assets/app.min.js',
  absPath: 'https://shop.example.com/assets/app.min.js?v=9',
  function: 'a',
  lineNo: 1,
  colNo: 2345,
};

/** Marks every code of the contract, so that a new code fails to compile until it is listed. */
const ALL_PROBLEMS: Record<FrameMappingProblem, true> = {
  no_debug_id_match: true,
  no_release: true,
  no_file_at_url: true,
  no_source_map_reference: true,
  source_map_not_found: true,
  invalid_source_map: true,
  line_out_of_range: true,
  no_mapping_at_position: true,
  missing_sources_content: true,
  missing_location: true,
  artifact_unreadable: true,
};

function unmappedInput(mapping: Partial<FrameMapping>): ChecklistInput {
  return {
    mapping: { status: 'unmapped', problems: [], ...mapping },
    frame: MINIFIED_FRAME,
    rawFrame: null,
    target: TARGET,
  };
}

function onlyStep(input: ChecklistInput) {
  const steps = buildMappingChecklist(input).steps;
  expect(steps).toHaveLength(1);
  const step = steps[0]!;
  return {
    title: toPlainText(step.title),
    detail: toPlainText(step.detail),
    action: toPlainText(step.action),
    commands: step.commands,
  };
}

describe('buildMappingChecklist', () => {
  it('lists every problem code of the contract', () => {
    expect([...FRAME_MAPPING_PROBLEMS].sort()).toEqual(Object.keys(ALL_PROBLEMS).sort());
  });

  it.each(FRAME_MAPPING_PROBLEMS)('gives %s a title, an explanation and an action', (problem) => {
    const step = onlyStep(
      unmappedInput({ problems: [problem], release: 'shop@1.4.2', debugId: DEBUG_ID }),
    );

    expect(step.title).not.toMatch(/^Problem `/);
    expect(step.detail.length).toBeGreaterThan(20);
    expect(step.action.length).toBeGreaterThan(20);
  });

  it('tells which release lacks which file, and the upload that adds it', () => {
    const step = onlyStep(
      unmappedInput({ problems: ['no_file_at_url'], release: 'shop@1.4.2', dist: 'web' }),
    );

    expect(step.title).toBe('Release `shop@1.4.2` has no file at `~/assets/app.min.js`');
    expect(step.detail).toContain('`https://shop.example.com/assets/app.min.js?v=9`');
    expect(step.detail).toContain('with distribution `web`');
    expect(step.action).toBe(
      "Upload `app.min.js` and `app.min.js.map` for release `shop@1.4.2` with `--url-prefix '~/assets'`, so that their names match the URL the code was loaded from.",
    );
    expect(step.commands).toEqual([
      "sentry-cli sourcemaps upload --wait --org acme --project web --release shop@1.4.2 --dist web --url-prefix '~/assets' ./dist",
    ]);
  });

  it('names the folder for a URL prefix', () => {
    const checklist = buildMappingChecklist(
      unmappedInput({ problems: ['no_file_at_url'], release: 'shop@1.4.2' }),
    );
    const note = checklist.steps[0]?.commandNote;

    expect(note).not.toBeNull();
    expect(toPlainText(note ?? [])).toBe(
      'Run it with `./dist` replaced by the folder that holds `app.min.js`, because sentry-cli adds the path of each file below that folder to the URL prefix.',
    );
  });

  it('adds no folder note without a URL prefix', () => {
    const checklist = buildMappingChecklist(
      unmappedInput({ problems: ['no_debug_id_match'], debugId: DEBUG_ID }),
    );

    expect(checklist.steps[0]?.commandNote).toBeNull();
  });

  it('names the debug ID that has no map', () => {
    const step = onlyStep(unmappedInput({ problems: ['no_debug_id_match'], debugId: DEBUG_ID }));

    expect(step.title).toBe(`No uploaded source map has debug ID \`${DEBUG_ID}\``);
    expect(step.commands).toEqual([
      'sentry-cli sourcemaps upload --wait --org acme --project web ./dist',
    ]);
  });

  it('suggests injecting debug IDs when there is no release', () => {
    const step = onlyStep(unmappedInput({ problems: ['no_release'] }));

    expect(step.action).toContain('`sentry-cli sourcemaps inject`');
    expect(step.commands).toEqual([
      'sentry-cli sourcemaps inject ./dist',
      'sentry-cli sourcemaps upload --wait --org acme --project web ./dist',
    ]);
  });

  it('names the map that was not uploaded', () => {
    const step = onlyStep(
      unmappedInput({
        problems: ['source_map_not_found'],
        release: 'shop@1.4.2',
        minifiedFile: '~/assets/app.min.js',
        sourceMap: '~/assets/maps/app.js.map',
      }),
    );

    expect(step.title).toBe('Source map `~/assets/maps/app.js.map` was not uploaded');
    expect(step.action).toContain('Upload `app.js.map` together with `app.min.js`');
  });

  it('gives the minified line that is out of range', () => {
    const step = onlyStep(
      unmappedInput({ problems: ['line_out_of_range'], sourceMap: 'app.min.js.map' }),
    );

    expect(step.title).toBe('Line 1 is past the end of the source map `app.min.js.map`');
  });

  it('asks for sourcesContent on a mapped frame', () => {
    const input: ChecklistInput = {
      mapping: {
        status: 'mapped',
        resolvedWith: 'debug-id',
        debugId: DEBUG_ID,
        sourceMap: 'app.min.js.map',
        problems: ['missing_sources_content'],
      },
      frame: { filename: 'src/checkout.ts', function: 'submitOrder', lineNo: 42, colNo: 7 },
      rawFrame: MINIFIED_FRAME,
      target: TARGET,
    };

    const step = onlyStep(input);

    expect(step.detail).toContain('mapped to `src/checkout.ts`');
    expect(step.action).toContain('Include sources in the map (`sourcesContent`)');
    expect(step.action).toContain('esbuild includes them unless `sourcesContent: false` is set');
    expect(step.action).toContain("webpack includes them with `devtool: 'source-map'`");
    expect(step.action).toContain(
      'only when the `sources` paths of the map resolve from the folder it runs in',
    );
    expect(step.action).toContain(
      'run the upload from the folder that those paths are relative to',
    );
  });

  it('names an unknown problem code', () => {
    const step = onlyStep(unmappedInput({ problems: ['js_future_problem'] }));

    expect(step.title).toBe('Problem `js_future_problem`');
  });

  it('explains an unmapped frame without a problem code', () => {
    const step = onlyStep(unmappedInput({ problems: [] }));

    expect(step.title).toBe('Not mapped, and no reason was recorded');
  });

  it('has no steps for a cleanly mapped frame', () => {
    const checklist = buildMappingChecklist({
      mapping: { status: 'mapped', resolvedWith: 'release', problems: [] },
      frame: { filename: 'src/app.ts' },
      rawFrame: MINIFIED_FRAME,
      target: TARGET,
    });

    expect(checklist.steps).toEqual([]);
  });

  it('leaves the organization out of commands without a target', () => {
    const checklist = buildMappingChecklist({
      ...unmappedInput({ problems: ['no_release'] }),
      target: null,
    });

    expect(checklist.steps[0]?.commands[1]).toBe('sentry-cli sourcemaps upload --wait ./dist');
  });
});

function mappedByDebugId(): ChecklistInput {
  return {
    mapping: {
      status: 'mapped',
      resolvedWith: 'debug-id',
      debugId: DEBUG_ID,
      sourceMap: 'app.min.js.map',
      problems: ['missing_sources_content'],
    },
    frame: { filename: 'src/checkout.ts', function: 'submitOrder', lineNo: 42, colNo: 7 },
    rawFrame: MINIFIED_FRAME,
    target: TARGET,
  };
}

describe('buildMappingChecklist facts', () => {
  it('lists what a release lookup looked for', () => {
    const { facts } = buildMappingChecklist(
      unmappedInput({ problems: ['no_file_at_url'], release: 'shop@1.4.2' }),
    );

    expect(facts.map((fact) => [fact.label, fact.value ?? fact.missingText])).toEqual([
      ['Minified file URL', 'https://shop.example.com/assets/app.min.js?v=9'],
      ['Position', 'line 1, column 2345'],
      ['Debug ID', 'none in the event for this file'],
      ['Release', 'shop@1.4.2'],
      ['Distribution', 'none'],
      ['Looked up as', '~/assets/app.min.js'],
      ['Minified file found', 'not found'],
      ['Source map', 'not found'],
    ]);
  });

  it('says the event has no release', () => {
    const { facts } = buildMappingChecklist(unmappedInput({ problems: ['no_release'] }));

    expect(facts.find((fact) => fact.label === 'Release')?.missingText).toBe('none in the event');
  });

  it('says a mapped frame has no release in the event', () => {
    const input = { ...mappedByDebugId(), eventRelease: null };
    const { facts } = buildMappingChecklist(input);

    expect(facts.find((fact) => fact.label === 'Release')?.missingText).toBe('none in the event');
  });

  it('says a debug ID lookup did not use the release', () => {
    const input = { ...mappedByDebugId(), eventRelease: 'shop@1.4.2' };
    const { facts } = buildMappingChecklist(input);

    expect(facts.find((fact) => fact.label === 'Release')?.missingText).toBe(
      'not used for this frame',
    );
  });

  it('takes the minified position from the raw frame of a mapped frame', () => {
    const { facts } = buildMappingChecklist({
      mapping: {
        status: 'mapped',
        resolvedWith: 'debug-id',
        problems: ['missing_sources_content'],
      },
      frame: { filename: 'src/app.ts', lineNo: 42, colNo: 7 },
      rawFrame: MINIFIED_FRAME,
      target: TARGET,
    });

    expect(facts.find((fact) => fact.label === 'Position')?.value).toBe('line 1, column 2345');
  });
});

describe('describeHints', () => {
  const unmapped: FrameMapping = {
    status: 'unmapped',
    release: 'shop@2.0.1',
    problems: ['no_file_at_url'],
  };

  it('names each likely mistake with its values', () => {
    const sentences = describeHints({
      ...unmapped,
      hints: {
        releaseFileCount: 0,
        sameNameUrls: ['~/wrong/app.min.js'],
        otherReleases: ['shop@2.0.0'],
        otherProjects: ['web', 'admin'],
      },
    }).map(toPlainText);

    expect(sentences).toEqual([
      'Release `shop@2.0.1` has no uploaded files at all: the upload went to another release, or did not happen.',
      'The release holds a file of the same name at `~/wrong/app.min.js`: the `--url-prefix` of the upload probably differs from the path the browser loads.',
      'This URL was uploaded for release `shop@2.0.0`: the SDK may send another release name than the one given to sentry-cli.',
      'Projects `web`, `admin` of this organization hold a file at this URL: upload it to this project too, or send the events to that one.',
    ]);
  });

  it('says a debug ID matched in another project', () => {
    const sentences = describeHints({
      status: 'unmapped',
      problems: ['no_debug_id_match'],
      hints: { otherProjects: ['web'] },
    }).map(toPlainText);

    expect(sentences).toEqual([
      'Project `web` of this organization holds a map with this debug ID: upload it to this project too, or send the events to that one.',
    ]);
  });

  it('says nothing without hints or when the release has files', () => {
    expect(describeHints(unmapped)).toEqual([]);
    expect(describeHints({ ...unmapped, hints: { releaseFileCount: 3 } })).toEqual([]);
  });
});
