import { Readable } from 'node:stream';

import type { AuditLogRow } from '../../../shared/api/audit.js';

const CSV_COLUMNS = [
  'id',
  'dateCreated',
  'event',
  'actorId',
  'actorName',
  'actorEmail',
  'actorTokenId',
  'ipAddress',
  'userAgent',
  'targetType',
  'targetObject',
  'note',
  'data',
] as const;

/**
 * Quotes a CSV field (RFC 4180). A field starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'`, so that a spreadsheet shows it as text instead of running it as a
 * formula: audit rows contain names that members chose.
 */
export function csvField(value: string | null): string {
  if (value === null) {
    return '';
  }
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(row: AuditLogRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | null> = {
    id: row.id,
    dateCreated: row.dateCreated,
    event: row.event,
    actorId: row.actor.id,
    actorName: row.actor.name,
    actorEmail: row.actor.email,
    actorTokenId: row.actor.tokenId,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    targetType: row.targetType,
    targetObject: row.targetObject,
    note: row.note,
    data: JSON.stringify(row.data),
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

/** Streams rows as CSV with a header line. */
export function streamCsv(rows: AsyncIterable<AuditLogRow>): Readable {
  return Readable.from(
    (async function* () {
      yield `${CSV_COLUMNS.join(',')}\r\n`;
      for await (const row of rows) {
        yield csvLine(row);
      }
    })(),
  );
}

/** Streams rows as one JSON array, one row per line. */
export function streamJson(rows: AsyncIterable<AuditLogRow>): Readable {
  return Readable.from(
    (async function* () {
      yield '[';
      let first = true;
      for await (const row of rows) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
        first = false;
      }
      yield '\n]\n';
    })(),
  );
}
