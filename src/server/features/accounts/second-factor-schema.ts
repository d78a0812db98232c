import { z } from 'zod';

import { ValidationError } from '../../platform/errors.js';
import type { SecondFactorProof } from './second-factor.js';

const codeSchema = z.string().min(1).max(64);

/**
 * The JSON of a WebAuthn assertion: its shape is checked here, its signature by
 * `@simplewebauthn/server`.
 */
const assertionSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: z.string().max(4096),
    authenticatorData: z.string().max(4096),
    signature: z.string().max(4096),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

const proofSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: codeSchema }),
  z.object({ method: z.literal('recovery'), code: codeSchema }),
  z.object({ method: z.literal('webauthn'), response: assertionSchema }),
]);

/**
 * Reads the body of a second-step request.
 * @throws ValidationError naming the expected fields.
 */
export function parseSecondFactorProof(body: unknown): SecondFactorProof {
  const parsed = proofSchema.safeParse(body);

  if (!parsed.success) {
    throw new ValidationError(
      'Send {"method": "totp" or "recovery", "code": "..."} or {"method": "webauthn", "response": {...}}',
    );
  }
  return parsed.data;
}
