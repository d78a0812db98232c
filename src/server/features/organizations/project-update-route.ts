import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { AppError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { isValidSlug, resolveProject } from './access.js';
import type { OrganizationRepository } from './organization-repository.js';
import type { ProjectFieldsStore, ProjectOptionsStore } from './project-options.js';
import { serializeProject } from './serializers.js';

type ProjectParams = { org: string; project: string };

const updateSchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  slug: z.string().trim().optional(),
  platform: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z0-9-]*$/, 'Use a platform id such as javascript-react or python')
    .nullable()
    .optional(),
  options: z.record(z.string(), z.string()).optional(),
});

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: string }).code;
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}

/** Checks the body before anything is written, so that a bad field leaves the project as it was. */
function parseUpdate(
  body: unknown,
  store: ProjectOptionsStore | undefined,
  fieldsStore: ProjectFieldsStore | undefined,
) {
  const fieldKeys = fieldsStore?.keys ?? [];
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const entries = isObject ? Object.entries(body as Record<string, unknown>) : [];
  const input = Object.fromEntries(entries.filter(([key]) => !fieldKeys.includes(key)));
  const storeFields = Object.fromEntries(
    entries.filter(([key, value]) => fieldKeys.includes(key) && value !== undefined),
  );
  const parsed = updateSchema.safeParse(isObject ? input : (body ?? {}));
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key =
        issue.code === 'unrecognized_keys'
          ? issue.keys.join(', ')
          : issue.path.join('.') || 'non_field_errors';
      (fields[key] ??= []).push(issue.message);
    }
    const firstKey = Object.keys(fields)[0] ?? 'body';
    throw new ValidationError(
      `Invalid project update: ${firstKey}: ${fields[firstKey]?.[0] ?? ''}`,
      fields,
    );
  }

  const { name, slug, options = {} } = parsed.data;
  const platform = parsed.data.platform === '' ? null : parsed.data.platform;
  const fieldProblems = fieldsStore === undefined ? {} : fieldsStore.check(storeFields);
  const [firstField, firstFieldProblems] = Object.entries(fieldProblems)[0] ?? [];
  if (firstField !== undefined) {
    throw new ValidationError(
      `Invalid ${firstField}: ${firstFieldProblems?.join('; ') ?? ''}`,
      fieldProblems,
    );
  }
  if (slug !== undefined && !isValidSlug(slug)) {
    throw new ValidationError(
      `Invalid slug ${JSON.stringify(slug)}: use lower-case letters, digits, - and _`,
      {
        slug: [
          'Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens.',
        ],
      },
    );
  }

  const unknownOptions = Object.keys(options).filter((key) => !(store?.keys ?? []).includes(key));
  if (unknownOptions.length > 0) {
    throw new ValidationError(`Unknown project option ${JSON.stringify(unknownOptions[0])}`, {
      options: unknownOptions.map((key) => `Unknown option: ${key}`),
    });
  }

  const problems = store === undefined ? {} : store.check(options);
  const firstProblem = Object.values(problems)[0];
  if (firstProblem !== undefined) {
    throw new ValidationError(firstProblem, { options: Object.values(problems) });
  }

  return { name, slug, platform, options, fields: storeFields };
}

/**
 * `PUT /api/0/projects/{org}/{project}/`: changes the name, the slug, the platform, and the options and
 * top-level fields that a feature store accepts. Any other field is rejected with 400, as Picket
 * does not store it.
 */
export function registerProjectUpdateRoute(
  app: FastifyInstance,
  organizations: OrganizationRepository,
  projectOptions: ProjectOptionsStore | undefined,
  projectFields?: ProjectFieldsStore,
  db?: Kysely<Database>,
): void {
  app.put<{ Params: ProjectParams }>('/api/0/projects/:org/:project/', async (request) => {
    const { access, project } = await resolveProject(request, organizations, request.params, [
      'project:write',
      'project:admin',
    ]);
    const change = parseUpdate(request.body, projectOptions, projectFields);

    let updated;
    try {
      updated = await organizations.updateProject(project.id, change);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(
          409,
          'conflict',
          `A project with the slug "${change.slug ?? ''}" already exists`,
        );
      }
      throw error;
    }

    if (projectOptions !== undefined && Object.keys(change.options).length > 0) {
      await projectOptions.write(project.id, change.options);
    }

    if (projectFields !== undefined && Object.keys(change.fields).length > 0) {
      await projectFields.write(project.id, change.fields, request);
    }

    if (db !== undefined) {
      await recordAudit(db, request, {
        organizationId: access.organization.id,
        event: 'project.edit',
        targetType: 'project',
        targetId: project.id,
        data: {
          before: { name: project.name, slug: project.slug },
          after: { name: updated.name, slug: updated.slug },
          options: Object.keys(change.options),
          fields: Object.keys(change.fields),
        },
      });
    }

    return serializeProject(
      updated,
      access.organization,
      await organizations.listProjectTeams(project.id),
      projectOptions === undefined ? {} : await projectOptions.read(project.id),
      projectFields === undefined ? {} : await projectFields.read(project.id),
    );
  });
}
