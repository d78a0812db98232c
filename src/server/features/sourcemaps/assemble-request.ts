import { z } from 'zod';

import { MAX_CHUNKS_PER_FILE } from './upload-limits.js';

const sha1 = z.string().regex(/^[0-9a-f]{40}$/, 'must be 40 lower-case hex digits (a SHA-1)');
const noNul = (value: string) => !value.includes('\u0000');

/** Body of `POST /organizations/{org}/artifactbundle/assemble/`, with Sentry's rules. */
const artifactBundleSchema = z
  .object({
    checksum: sha1,
    chunks: z
      .array(sha1)
      .max(MAX_CHUNKS_PER_FILE, `must list at most ${MAX_CHUNKS_PER_FILE} chunks`),
    projects: z
      .array(z.string().min(1).max(200).refine(noNul, 'must not contain NUL'))
      .min(1, 'must name at least one project')
      .max(1000),
    version: z
      .string()
      .min(1)
      .max(250)
      .refine(
        (value) => !/[/\n\r\t]/.test(value) && noNul(value),
        'must not contain a slash, a line break, a tab or NUL',
      )
      .optional(),
    dist: z.string().min(1).max(64).refine(noNul, 'must not contain NUL').optional(),
  })
  .refine((body) => body.dist === undefined || body.version !== undefined, {
    error: 'You need to specify a release together with a dist',
    path: ['dist'],
  });

/** Body of `POST /organizations/{org}/releases/{version}/assemble/`. */
const releaseBundleSchema = z.object({
  checksum: sha1,
  chunks: z.array(sha1).max(MAX_CHUNKS_PER_FILE, `must list at most ${MAX_CHUNKS_PER_FILE} chunks`),
});

export type ArtifactBundleRequest = z.output<typeof artifactBundleSchema>;
export type ReleaseBundleRequest = z.output<typeof releaseBundleSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseArtifactBundleRequest(body: unknown): Parsed<ArtifactBundleRequest> {
  return parseWith(artifactBundleSchema, body);
}

export function parseReleaseBundleRequest(body: unknown): Parsed<ReleaseBundleRequest> {
  return parseWith(releaseBundleSchema, body);
}

/** Parses a body and turns the first problem into Sentry's `error` text, naming the field. */
function parseWith<T extends z.ZodType>(schema: T, body: unknown): Parsed<z.output<T>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) {
    return { ok: true, value: result.data };
  }
  const [issue] = result.error.issues;
  if (issue === undefined) {
    return { ok: false, error: 'Invalid request body' };
  }
  const field = issue.path.map(String).join('.');
  return { ok: false, error: field === '' ? issue.message : `${field}: ${issue.message}` };
}
