import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface AttachmentRecord {
  id: number;
  projectId: number;
  eventId: string;
  name: string;
  contentType: string;
  attachmentType: string;
  size: number;
  sha1: string;
  blobKey: string;
  createdAt: number;
}

/** At most this many attachments are listed per event; Relay accepts 30 per envelope. */
const MAX_LISTED = 1_000;

/** Reads attachment rows. Every query is served by `event_attachments_project_event`. */
export class AttachmentRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Lists the attachments of events of one project, oldest first. */
  listByEvents(projectId: number, eventIds: string[]): Promise<AttachmentRecord[]> {
    if (eventIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.#db
      .selectFrom('eventAttachments')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('eventId', 'in', eventIds)
      .orderBy('eventId')
      .orderBy('id')
      .limit(MAX_LISTED)
      .execute();
  }

  findById(projectId: number, eventId: string, id: number): Promise<AttachmentRecord | undefined> {
    return this.#db
      .selectFrom('eventAttachments')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('eventId', '=', eventId)
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
