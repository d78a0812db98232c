import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { GroupingComponentJson, GroupingInfoResponse } from '../../../shared/api/grouping.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { type EventRepository, readPayload } from '../events/index.js';
import { resolveProject, type OrganizationRepository } from '../organizations/index.js';
import type { NormalizedEvent } from '../processing/event-types.js';

import { computeGrouping, type GroupingVariant } from './compute-grouping.js';
import type { GroupingComponent } from './grouping-component.js';
import {
  compileGroupingRules,
  MAX_RULES_CHARS,
  readGroupingRules,
  validateGroupingRules,
} from './project-rules.js';

export interface GroupingRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  events: EventRepository;
}

type EventParams = { org: string; project: string; eventId: string };

const validateSchema = z.strictObject({
  groupingEnhancements: z.string().max(MAX_RULES_CHARS).optional(),
  fingerprintingRules: z.string().max(MAX_RULES_CHARS).optional(),
});

const eventIdSchema = z
  .string()
  .transform((value) => value.replaceAll('-', '').toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hexadecimal digits'));

/** Sentry's display names of component ids where they differ. */
const COMPONENT_NAMES: Record<string, string> = {
  app: 'in-app',
  stacktrace: 'stack-trace',
  'chained-exception': 'chained exception',
};

const VARIANT_TYPES: Record<GroupingVariant['type'], string> = {
  component: 'component',
  custom_fingerprint: 'custom-fingerprint',
  salted_component: 'salted-component',
  checksum: 'checksum',
  fallback: 'fallback',
};

function toComponentJson(component: GroupingComponent): GroupingComponentJson {
  return {
    id: component.id,
    name: component.name ?? COMPONENT_NAMES[component.id] ?? component.id,
    contributes: component.contributes,
    hint: component.hint,
    values: component.values.map((value) =>
      typeof value === 'string' ? value : toComponentJson(value),
    ),
  };
}

function readStoredHashes(payload: Record<string, unknown>): string[] {
  return Array.isArray(payload.hashes)
    ? payload.hashes.filter((hash): hash is string => typeof hash === 'string')
    : [];
}

/** Builds Sentry's grouping-info response for a stored event and the project's current rules. */
export function buildGroupingInfo(
  event: NormalizedEvent,
  storedHashes: string[],
  rules: ReturnType<typeof compileGroupingRules>,
): GroupingInfoResponse {
  const result = computeGrouping(event, {
    enhancementRules: rules.enhancements,
    fingerprintingRules: rules.fingerprinting,
  });
  const primaryHash = storedHashes[0];
  const response: GroupingInfoResponse = {};

  for (const [key, variant] of Object.entries(result.variants)) {
    response[key] = {
      key,
      type: VARIANT_TYPES[variant.type],
      description: variant.description,
      hash: variant.hash,
      hashMismatch:
        variant.contributes && variant.hash !== null && !storedHashes.includes(variant.hash),
      contributes: variant.contributes,
      hint: variant.hint ?? null,
      isPrimary: variant.hash !== null && variant.hash === primaryHash,
      ...(variant.component === undefined ? {} : { component: toComponentJson(variant.component) }),
      ...(variant.values === undefined ? {} : { values: variant.values }),
      ...(variant.matchedRule === undefined ? {} : { matchedRule: variant.matchedRule }),
    };
  }

  return response;
}

/**
 * `GET /api/0/projects/{org}/{project}/events/{event_id}/grouping-info/`: the grouping variants
 * of a stored event, computed again with the project's current rules, so that a rule change
 * shows as `hashMismatch` before new events arrive.
 */
export function registerGroupingRoutes(app: FastifyInstance, options: GroupingRoutesOptions): void {
  const { db, organizations, events } = options;

  app.get<{ Params: EventParams }>(
    '/api/0/projects/:org/:project/events/:eventId/grouping-info/',
    async (request) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:read',
      );
      const eventId = eventIdSchema.safeParse(request.params.eventId);

      if (!eventId.success) {
        throw new ValidationError(
          `Invalid event id ${JSON.stringify(request.params.eventId)}: must be 32 hexadecimal digits`,
        );
      }

      const row = await events.findByEventId([project.id], eventId.data);

      if (row === undefined) {
        throw new NotFoundError('Event not found');
      }

      const payload = readPayload(row) as Record<string, unknown>;
      const text = (await readGroupingRules(db, [project.id])).get(project.id);
      const rules = compileGroupingRules(text ?? { enhancements: '', fingerprinting: '' });
      return buildGroupingInfo(
        payload as unknown as NormalizedEvent,
        readStoredHashes(payload),
        rules,
      );
    },
  );

  // Picket's own endpoint: checks rule text without saving it, so that the settings page can
  // show every invalid line next to its text area.
  app.post<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/grouping-rules/validate/',
    async (request) => {
      await resolveProject(request, organizations, request.params, [
        'project:read',
        'project:write',
        'project:admin',
      ]);
      const body = validateSchema.safeParse(request.body ?? {});

      if (!body.success) {
        const issue = body.error.issues[0];
        throw new ValidationError(
          `Invalid rules: ${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`,
        );
      }

      return validateGroupingRules({
        enhancements: body.data.groupingEnhancements,
        fingerprinting: body.data.fingerprintingRules,
      });
    },
  );
}
