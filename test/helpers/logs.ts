/** Log list reads and outcome reads shared by the log and OTLP tests. */
import type { Log } from '../../src/shared/api/logs.js';
import { connectDb } from '../../src/server/platform/db/index.js';
import type { PicketInstance, TestProject } from './picket.js';
import { waitFor } from './picket.js';

export interface LogPage {
  logs: Log[];
  link: string;
}

/** Lists the organization's logs with the given query parameters. */
export async function listLogs(
  picket: PicketInstance,
  project: TestProject,
  params: Record<string, string | string[]> = {},
): Promise<LogPage> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(name, item);
    }
  }

  const response = await fetch(
    `${picket.url}/api/0/organizations/${project.orgSlug}/logs/?${search.toString()}`,
    { headers: { authorization: `Bearer ${project.token}` } },
  );
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`GET logs answered ${response.status}: ${text}`);
  }
  return { logs: JSON.parse(text) as Log[], link: response.headers.get('link') ?? '' };
}

/** Polls the log list until it returns at least `count` logs. */
export function waitForLogs(
  picket: PicketInstance,
  project: TestProject,
  params: Record<string, string | string[]>,
  count: number,
  timeoutMs = 15_000,
): Promise<Log[]> {
  return waitFor(async () => {
    const { logs } = await listLogs(picket, project, params);
    return logs.length >= count ? logs : undefined;
  }, timeoutMs);
}

export interface StoredOutcome {
  outcome: string;
  reason: string;
  category: string;
  quantity: number;
}

/** Reads the stored outcomes of a project from the server's database, summed over hours. */
export async function readOutcomes(
  picket: PicketInstance,
  projectId: number,
): Promise<StoredOutcome[]> {
  const db = connectDb({ databaseUrl: picket.env.DATABASE_URL, dataDir: picket.dataDir });
  try {
    const rows = await db.kysely
      .selectFrom('outcomes')
      .select(['outcome', 'reason', 'category', 'quantity'])
      .where('projectId', '=', projectId)
      .execute();
    const totals = new Map<string, StoredOutcome>();
    for (const row of rows) {
      const key = `${row.outcome}|${row.reason}|${row.category}`;
      const total = totals.get(key) ?? { ...row, quantity: 0 };
      total.quantity += Number(row.quantity);
      totals.set(key, total);
    }
    return [...totals.values()];
  } finally {
    await db.close();
  }
}

/** Polls the stored outcomes until one matches, and returns that outcome. */
export function waitForOutcome(
  picket: PicketInstance,
  projectId: number,
  match: Partial<StoredOutcome>,
  timeoutMs = 15_000,
): Promise<StoredOutcome> {
  return waitFor(async () => {
    const outcomes = await readOutcomes(picket, projectId);
    return outcomes.find((outcome) =>
      Object.entries(match).every(([key, value]) => outcome[key as keyof StoredOutcome] === value),
    );
  }, timeoutMs);
}
