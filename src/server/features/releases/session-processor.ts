import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { ItemRecordBody } from '../ingest/item-kinds.js';
import type { RecordProcessor } from '../worker/record-processors.js';
import { parseItemRecord } from '../worker/record-processors.js';
import {
  parseSessionAggregates,
  parseSessionUpdate,
  type ParsedSessionItem,
  type SessionItemContext,
} from './session-parser.js';
import { storeSessionContributions, type ProjectContribution } from './session-store.js';

const CATEGORY = 'session';

/**
 * Stores `session` (one update) and `sessions` (aggregates) records. An item that fails
 * validation is counted as `invalid` with its reason. Each stored item counts as `accepted`.
 */
export const processSessionRecords: RecordProcessor = async (records, context) => {
  const contributions: ProjectContribution[] = [];
  const accepted: typeof records = [];
  const existingProjects = await findExistingProjects(
    context.trx,
    records.map((record) => record.projectId),
  );

  for (const record of records) {
    if (!existingProjects.has(record.projectId)) {
      context.count(record, 'invalid', 'project_not_found', CATEGORY);
      continue;
    }

    const parsed = parseSessionRecord(record);
    if (!parsed.ok) {
      context.count(record, 'invalid', parsed.reason, CATEGORY);
      continue;
    }

    for (const rejection of parsed.rejected) {
      context.count(record, 'invalid', rejection.reason, CATEGORY, rejection.quantity);
    }
    for (const contribution of parsed.contributions) {
      contributions.push({
        projectId: record.projectId,
        receivedAt: record.receivedAt,
        contribution,
      });
    }
    accepted.push(record);
  }

  await storeSessionContributions(context.trx, context.dialect, contributions);
  for (const record of accepted) {
    context.count(record, 'accepted', '', CATEGORY);
  }
};

function parseSessionRecord(record: ClaimedRecord): ParsedSessionItem {
  let parsed: ItemRecordBody;
  try {
    parsed = parseItemRecord(record);
  } catch {
    // Ingest wrote the record, so its JSON is valid unless the queue row was damaged.
    return { ok: false, reason: 'invalid_json' };
  }

  const sentAt = (parsed as Partial<ItemRecordBody>).meta?.sentAt;
  const itemContext: SessionItemContext = {
    receivedAt: record.receivedAt,
    sentAt: typeof sentAt === 'string' ? sentAt : undefined,
  };
  return record.kind === 'sessions'
    ? parseSessionAggregates(parsed.item, itemContext)
    : parseSessionUpdate(parsed.item, itemContext);
}

async function findExistingProjects(
  trx: Parameters<RecordProcessor>[1]['trx'],
  projectIds: number[],
): Promise<Set<number>> {
  const unique = [...new Set(projectIds)];
  if (unique.length === 0) {
    return new Set();
  }
  const rows = await trx.selectFrom('projects').select('id').where('id', 'in', unique).execute();
  return new Set(rows.map((row) => Number(row.id)));
}
