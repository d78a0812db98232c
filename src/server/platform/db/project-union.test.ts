import { describe, expect, it } from 'vitest';

import { listAcrossProjects, PROJECTS_PER_STATEMENT, type RowWindow } from './project-union.js';

interface Row {
  projectId: number;
  time: number;
}

const newestFirst = (a: Row, b: Row) => b.time - a.time;

/** Rows of 250 projects: project p has rows at times p, p + 250 and p + 500. */
const PROJECT_IDS = Array.from({ length: 250 }, (_, index) => index + 1);
const ROWS: Row[] = PROJECT_IDS.flatMap((projectId) =>
  [0, 250, 500].map((offset) => ({ projectId, time: projectId + offset })),
);

describe('listAcrossProjects', () => {
  it('returns nothing for no projects', async () => {
    const groups: number[][] = [];

    const rows = await listAcrossProjects(
      [],
      { offset: 0, count: 10 },
      (projectIds) => {
        groups.push(projectIds);
        return Promise.resolve([]);
      },
      newestFirst,
    );

    expect(rows).toEqual([]);
    expect(groups).toEqual([]);
  });

  it('runs one statement with the page for few projects', async () => {
    const windows: RowWindow[] = [];

    await listAcrossProjects(
      [1, 2, 3],
      { offset: 20, count: 11 },
      (projectIds, window) => {
        windows.push(window);
        return Promise.resolve(listInMemory(projectIds, window));
      },
      newestFirst,
    );

    expect(windows).toEqual([{ offset: 20, count: 11 }]);
  });

  it('merges the groups of many projects into one page', async () => {
    const groupSizes: number[] = [];
    const window = { offset: 30, count: 11 };

    const rows = await listAcrossProjects(
      PROJECT_IDS,
      window,
      (projectIds, groupWindow) => {
        groupSizes.push(projectIds.length);
        return Promise.resolve(listInMemory(projectIds, groupWindow));
      },
      newestFirst,
    );

    const expected = [...ROWS].sort(newestFirst).slice(30, 41);
    expect(rows).toEqual(expected);
    expect(groupSizes).toEqual([PROJECTS_PER_STATEMENT, PROJECTS_PER_STATEMENT, 50]);
  });
});

function listInMemory(projectIds: number[], window: RowWindow): Row[] {
  return ROWS.filter((row) => projectIds.includes(row.projectId))
    .sort(newestFirst)
    .slice(window.offset, window.offset + window.count);
}
