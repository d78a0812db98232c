import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { DataScrubbingPreviewResponse } from '../../../shared/api/data-scrubbing.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { attachPayloadDictionaries, readPayload } from '../events/index.js';
import { scrubPayload } from './pii-processor.js';
import { EVENT_SPEC } from './pii-schema.js';
import { ORGANIZATION_ROW, ScrubbingSettingsRepository } from './scrubbing-repository.js';
import {
  applySettingsUpdate,
  buildScrubbingConfig,
  parseSettingsUpdate,
} from './scrubbing-settings.js';

const previewSchema = z.strictObject({
  settings: z.unknown().optional(),
  eventId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/)
    .optional(),
});

export interface PreviewScope {
  organizationId: number;
  /** Projects whose events may be previewed. */
  projectIds: number[];
  /** Whose settings the body's `settings` replace. */
  target: 'organization' | 'project';
}

/**
 * Scrubs a stored event with unsaved settings and returns it with the paths that change.
 * Stored events were already scrubbed with the settings of their time, so the result shows
 * what the new settings would remove in addition, never what the old ones already removed.
 * @throws ValidationError for a bad body, NotFoundError when there is no event to preview.
 */
export async function previewScrubbing(
  db: Kysely<Database>,
  body: unknown,
  scope: PreviewScope,
): Promise<DataScrubbingPreviewResponse> {
  const parsed = previewSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `Invalid preview request: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
    );
  }
  const update = parseSettingsUpdate(parsed.data.settings ?? {});
  if (scope.projectIds.length === 0) {
    throw new NotFoundError('No project to preview: create a project and send an event first');
  }

  let query = db
    .selectFrom('events')
    .select(['eventId', 'projectId', 'payload', 'payloadDictionaryId'])
    .where('projectId', 'in', scope.projectIds);
  const eventId = parsed.data.eventId?.replace(/-/g, '').toLowerCase();
  query =
    eventId === undefined
      ? query.orderBy('receivedAt', 'desc').orderBy('id', 'desc').limit(1)
      : query.where('eventId', '=', eventId);
  const row = await query.executeTakeFirst();
  if (row === undefined) {
    throw new NotFoundError(
      eventId === undefined
        ? 'No stored event to preview: send an event first, or give an eventId'
        : `Event ${eventId} not found in this scope`,
    );
  }

  const repository = new ScrubbingSettingsRepository(db);
  let organization = await repository.read(scope.organizationId, ORGANIZATION_ROW);
  let project = await repository.read(scope.organizationId, row.projectId);
  if (scope.target === 'organization') {
    organization = applySettingsUpdate(organization, update);
  } else {
    project = applySettingsUpdate(project, update);
  }

  const [stored] = await attachPayloadDictionaries(db, [row]);
  const event = readPayload(stored ?? { payload: row.payload, dictionary: null });
  delete event._meta;
  const report = scrubPayload(event, EVENT_SPEC, buildScrubbingConfig(organization, project));
  return { eventId: row.eventId, event, changedPaths: report.changedPaths, meta: report.meta };
}
