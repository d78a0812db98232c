import type { Kysely } from 'kysely';

import type { AuditLogRow } from '../../../shared/api/audit.js';
import type { Database } from '../../platform/db/index.js';

/** Filters of an organization's audit log; every field left undefined matches all rows. */
export interface AuditFilter {
  organizationId: number;
  event?: string;
  actorUserId?: number;
  /** Epoch milliseconds, both ends included. */
  start?: number;
  end?: number;
}

/** A stored row joined with its actor's current name and e-mail. */
interface AuditRecord {
  id: number;
  actorUserId: number | null;
  actorLabel: string;
  actorTokenId: number | null;
  actorName: string | null;
  actorEmail: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  event: string;
  targetType: string | null;
  targetId: string | null;
  data: string;
  createdAt: number;
}

function filteredQuery(db: Kysely<Database>, filter: AuditFilter) {
  let query = db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorUserId')
    .select([
      'auditLog.id',
      'auditLog.actorUserId',
      'auditLog.actorLabel',
      'auditLog.actorTokenId',
      'users.name as actorName',
      'users.email as actorEmail',
      'auditLog.ipAddress',
      'auditLog.userAgent',
      'auditLog.event',
      'auditLog.targetType',
      'auditLog.targetId',
      'auditLog.data',
      'auditLog.createdAt',
    ])
    .where('auditLog.organizationId', '=', filter.organizationId);
  if (filter.event !== undefined) {
    query = query.where('auditLog.event', '=', filter.event);
  }
  if (filter.actorUserId !== undefined) {
    query = query.where('auditLog.actorUserId', '=', filter.actorUserId);
  }
  if (filter.start !== undefined) {
    query = query.where('auditLog.createdAt', '>=', filter.start);
  }
  if (filter.end !== undefined) {
    query = query.where('auditLog.createdAt', '<=', filter.end);
  }
  return query;
}

/** Returns one page of matching rows, newest first, fetching one extra row to tell if more exist. */
export async function listAuditRows(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: AuditLogRow[]; hasMore: boolean }> {
  const records = await filteredQuery(db, filter)
    .orderBy('auditLog.createdAt', 'desc')
    .orderBy('auditLog.id', 'desc')
    .offset(page.offset)
    .limit(page.limit + 1)
    .execute();
  return {
    rows: records.slice(0, page.limit).map(serializeAuditRecord),
    hasMore: records.length > page.limit,
  };
}

const EXPORT_BATCH = 500;

/**
 * Yields every matching row, newest first, reading `EXPORT_BATCH` rows at a time by id, so an
 * export of any size keeps one batch in memory. Rows appended during the export are left out,
 * because ids only grow.
 */
export async function* iterateAuditRows(
  db: Kysely<Database>,
  filter: AuditFilter,
): AsyncGenerator<AuditLogRow> {
  let beforeId: number | undefined;
  for (;;) {
    let query = filteredQuery(db, filter);
    if (beforeId !== undefined) {
      query = query.where('auditLog.id', '<', beforeId);
    }
    const records = await query.orderBy('auditLog.id', 'desc').limit(EXPORT_BATCH).execute();
    for (const record of records) {
      yield serializeAuditRecord(record);
    }
    const last = records.at(-1);
    if (records.length < EXPORT_BATCH || last === undefined) {
      return;
    }
    beforeId = Number(last.id);
  }
}

function serializeAuditRecord(record: AuditRecord): AuditLogRow {
  const data = parseData(record.data);
  const name = record.actorName !== null && record.actorName !== '' ? record.actorName : null;
  return {
    id: String(record.id),
    actor: {
      id: record.actorUserId === null ? null : String(record.actorUserId),
      name: name ?? record.actorEmail ?? record.actorLabel,
      email: record.actorEmail,
      tokenId: record.actorTokenId === null ? null : String(record.actorTokenId),
    },
    event: record.event,
    ipAddress: record.ipAddress,
    userAgent: record.userAgent,
    note: describeAuditRow(record.event, record.targetType, record.targetId, data),
    targetObject: record.targetId,
    targetType: record.targetType,
    targetUser:
      record.targetType === 'user' && record.targetId !== null ? { id: record.targetId } : null,
    data,
    dateCreated: new Date(Number(record.createdAt)).toISOString(),
  };
}

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    // Rows are written by recordAudit with JSON.stringify, so this is a row written by hand.
    return { raw: text };
  }
}

const NOTES: Partial<Record<string, string>> = {
  'projectkey.create': 'added DSN key',
  'projectkey.edit': 'edited DSN key',
  'projectkey.remove': 'removed DSN key',
  'projectkey.change': 'rotated DSN key',
  'api-key.create': 'created personal token',
  'api-key.remove': 'removed personal token',
  'org-auth-token.create': 'created organization token',
  'org-auth-token.remove': 'removed organization token',
};

/** Builds the one-line summary of a row, as Sentry's `note`, from its event and data. */
function describeAuditRow(
  event: string,
  targetType: string | null,
  targetId: string | null,
  data: Record<string, unknown>,
): string {
  const action = NOTES[event] ?? event;
  const name = typeof data.name === 'string' ? data.name : undefined;
  if (name !== undefined) {
    return `${action} "${name}"`;
  }
  return targetId === null ? action : `${action} (${targetType ?? 'object'} ${targetId})`;
}
