import { describe, expect, it } from 'vitest';

import type { StackFrame } from '../../../shared/api/events';
import {
  describeMappingBadge,
  formatMappingSummary,
  needsChecklist,
  readFrameMapping,
  summarizeFrameMapping,
} from './frame-mapping';

function frameWith(symbolication: unknown): StackFrame {
  return { filename: 'app.js', data: { symbolication } };
}

const MAPPED = { status: 'mapped', resolvedWith: 'debug-id', problems: [] };
const UNMAPPED = { status: 'unmapped', problems: ['no_release'] };
const MAPPED_WITHOUT_SOURCES = {
  status: 'mapped',
  resolvedWith: 'release',
  problems: ['missing_sources_content'],
};

describe('readFrameMapping', () => {
  it('reads every field of the contract', () => {
    const mapping = readFrameMapping(
      frameWith({
        status: 'unmapped',
        debugId: 'addcc2e4-0000-4000-8000-000000000001',
        release: 'shop@1',
        dist: 'web',
        minifiedFile: '~/assets/app.min.js',
        sourceMap: 'app.min.js.map',
        problems: ['source_map_not_found'],
      }),
    );

    expect(mapping).toEqual({
      status: 'unmapped',
      debugId: 'addcc2e4-0000-4000-8000-000000000001',
      release: 'shop@1',
      dist: 'web',
      minifiedFile: '~/assets/app.min.js',
      sourceMap: 'app.min.js.map',
      problems: ['source_map_not_found'],
    });
  });

  it('reads the lookup hints and drops values of the wrong type', () => {
    const mapping = readFrameMapping(
      frameWith({
        status: 'unmapped',
        problems: ['no_file_at_url'],
        hints: {
          releaseFileCount: 4,
          sameNameUrls: ['~/assets/app.min.js', 7],
          otherReleases: 'shop@0',
          otherProjects: [],
        },
      }),
    );

    expect(mapping?.hints).toEqual({ releaseFileCount: 4, sameNameUrls: ['~/assets/app.min.js'] });
    expect(
      readFrameMapping(frameWith({ status: 'unmapped', problems: [], hints: 'none' }))?.hints,
    ).toBeUndefined();
  });

  it('returns null for a frame without data', () => {
    expect(readFrameMapping({ filename: 'app.py' })).toBeNull();
  });

  it('returns null for an unknown status', () => {
    expect(readFrameMapping(frameWith({ status: 'pending', problems: [] }))).toBeNull();
  });

  it('returns null for an array', () => {
    expect(readFrameMapping(frameWith(['mapped']))).toBeNull();
  });

  it('drops fields of the wrong type', () => {
    const mapping = readFrameMapping(
      frameWith({ status: 'mapped', resolvedWith: 'magic', release: 42, problems: 'none' }),
    );

    expect(mapping).toEqual({ status: 'mapped', problems: [] });
  });

  it('keeps unknown problem codes once and drops non-strings', () => {
    const mapping = readFrameMapping(
      frameWith({ status: 'unmapped', problems: ['future_code', 7, 'future_code', null] }),
    );

    expect(mapping?.problems).toEqual(['future_code']);
  });
});

describe('describeMappingBadge', () => {
  it.each([
    ['debug-id', 'Mapped by debug ID'],
    ['release', 'Mapped by release'],
    ['source-mapping-url', 'Mapped by sourceMappingURL'],
  ])('names the way %s', (resolvedWith, label) => {
    const mapping = readFrameMapping(frameWith({ ...MAPPED, resolvedWith }));

    expect(describeMappingBadge(mapping!)).toEqual({ label, tone: 'mapped' });
  });

  it('marks an unmapped frame', () => {
    expect(describeMappingBadge(readFrameMapping(frameWith(UNMAPPED))!)).toEqual({
      label: 'Not mapped',
      tone: 'unmapped',
    });
  });

  it('warns about a mapped frame with problems', () => {
    expect(describeMappingBadge(readFrameMapping(frameWith(MAPPED_WITHOUT_SOURCES))!)).toEqual({
      label: 'Mapped by release',
      tone: 'warning',
    });
  });
});

describe('needsChecklist', () => {
  it('is true for an unmapped frame', () => {
    expect(needsChecklist(readFrameMapping(frameWith(UNMAPPED))!)).toBe(true);
  });

  it('is true for a mapped frame with problems', () => {
    expect(needsChecklist(readFrameMapping(frameWith(MAPPED_WITHOUT_SOURCES))!)).toBe(true);
  });

  it('is false for a cleanly mapped frame', () => {
    expect(needsChecklist(readFrameMapping(frameWith(MAPPED))!)).toBe(false);
  });
});

describe('summarizeFrameMapping', () => {
  it('counts only frames with symbolication data', () => {
    const summary = summarizeFrameMapping([
      frameWith(MAPPED),
      frameWith(MAPPED_WITHOUT_SOURCES),
      frameWith(UNMAPPED),
      { filename: 'native' },
    ]);

    expect(summary).toEqual({ candidates: 3, mapped: 2, mappedWithProblems: 1 });
  });
});

describe('formatMappingSummary', () => {
  it('states how many frames were mapped', () => {
    expect(formatMappingSummary({ candidates: 5, mapped: 3, mappedWithProblems: 0 })).toBe(
      '3 of 5 frames mapped',
    );
  });

  it('uses the singular for one frame', () => {
    expect(formatMappingSummary({ candidates: 1, mapped: 0, mappedWithProblems: 0 })).toBe(
      '0 of 1 frame mapped',
    );
  });

  it('adds the mapped frames with problems', () => {
    expect(formatMappingSummary({ candidates: 4, mapped: 4, mappedWithProblems: 2 })).toBe(
      '4 of 4 frames mapped, and 2 mapped frames have problems',
    );
  });

  it('returns null without candidates', () => {
    expect(formatMappingSummary({ candidates: 0, mapped: 0, mappedWithProblems: 0 })).toBeNull();
  });
});
