import type { Kysely } from 'kysely';

import { isSealed, SecretBoxError, type SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import {
  instanceSecretContext,
  totpSecretContext,
  webhookSecretContext,
} from './secret-contexts.js';

/** Counts of the sealed values of one table: re-sealed with the current key, or already sealed with it. */
export interface TableRotation {
  table: string;
  resealed: number;
  alreadyCurrent: number;
}

/** Opens a sealed value with any configured key and seals it again with the current key. */
function reseal(box: SecretBox, sealed: string, context: string, where: string): string {
  try {
    return box.seal(box.open(sealed, context), context);
  } catch (error) {
    if (error instanceof SecretBoxError) {
      throw new SecretBoxError(
        `Cannot open the sealed value of ${where}, so that table was left unchanged: ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * Re-seals one `user_authenticators.config`: the whole value when it is a sealed string, or
 * each sealed top-level string field when it is a JSON object. Returns the config to store
 * with the number of values re-sealed and already sealed with the current key.
 */
function rotateAuthenticatorConfig(
  box: SecretBox,
  config: string,
  userId: number,
  where: string,
): { config: string; resealed: number; current: number } {
  const context = totpSecretContext(userId);
  if (isSealed(config)) {
    return box.needsRotation(config)
      ? { config: reseal(box, config, context, where), resealed: 1, current: 0 }
      : { config, resealed: 0, current: 1 };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    return { config, resealed: 0, current: 0 };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { config, resealed: 0, current: 0 };
  }

  let resealed = 0;
  let current = 0;
  const fields = Object.entries(parsed as Record<string, unknown>).map(([key, value]) => {
    if (typeof value !== 'string' || !isSealed(value)) {
      return [key, value];
    }
    if (!box.needsRotation(value)) {
      current += 1;
      return [key, value];
    }
    resealed += 1;
    return [key, reseal(box, value, context, `${where} field ${key}`)];
  });
  return {
    config: resealed === 0 ? config : JSON.stringify(Object.fromEntries(fields)),
    resealed,
    current,
  };
}

async function rotateInstanceSecrets(db: Kysely<Database>, box: SecretBox): Promise<TableRotation> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('instanceSecrets').select(['name', 'value']).execute();
    const result: TableRotation = { table: 'instance_secrets', resealed: 0, alreadyCurrent: 0 };
    for (const row of rows) {
      if (!isSealed(row.value)) {
        continue;
      }
      if (!box.needsRotation(row.value)) {
        result.alreadyCurrent += 1;
        continue;
      }
      const where = `instance_secrets row ${JSON.stringify(row.name)}`;
      const value = reseal(box, row.value, instanceSecretContext(row.name), where);
      await trx
        .updateTable('instanceSecrets')
        .set({ value, updatedAt: Date.now() })
        .where('name', '=', row.name)
        .execute();
      result.resealed += 1;
    }
    return result;
  });
}

async function rotateAuthenticators(db: Kysely<Database>, box: SecretBox): Promise<TableRotation> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('userAuthenticators')
      .select(['id', 'userId', 'config'])
      .where('config', 'like', '%pk1.%')
      .execute();
    const result: TableRotation = { table: 'user_authenticators', resealed: 0, alreadyCurrent: 0 };
    for (const row of rows) {
      const where = `user_authenticators row ${row.id}`;
      const rotated = rotateAuthenticatorConfig(box, row.config, Number(row.userId), where);
      result.alreadyCurrent += rotated.current;
      if (rotated.resealed > 0) {
        await trx
          .updateTable('userAuthenticators')
          .set({ config: rotated.config })
          .where('id', '=', row.id)
          .execute();
        result.resealed += rotated.resealed;
      }
    }
    return result;
  });
}

/** Re-seals the `secret` of the webhook actions in each rule's `actions` JSON. */
async function rotateRuleSecrets(db: Kysely<Database>, box: SecretBox): Promise<TableRotation> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('alertRules')
      .select(['id', 'projectId', 'actions'])
      .where('actions', 'like', '%pk1.%')
      .execute();
    const result: TableRotation = { table: 'alert_rules', resealed: 0, alreadyCurrent: 0 };
    for (const row of rows) {
      let actions: unknown;
      try {
        actions = JSON.parse(row.actions);
      } catch {
        continue;
      }
      if (!Array.isArray(actions)) {
        continue;
      }
      const resealedBefore = result.resealed;
      const context = webhookSecretContext(Number(row.projectId));
      const rotated = (actions as unknown[]).map((action) => {
        const secret = (action as { secret?: unknown } | null)?.secret;
        if (typeof secret !== 'string' || !isSealed(secret)) {
          return action;
        }
        if (!box.needsRotation(secret)) {
          result.alreadyCurrent += 1;
          return action;
        }
        result.resealed += 1;
        const where = `alert_rules row ${row.id}`;
        return { ...(action as object), secret: reseal(box, secret, context, where) };
      });
      if (result.resealed > resealedBefore) {
        await trx
          .updateTable('alertRules')
          .set({ actions: JSON.stringify(rotated) })
          .where('id', '=', row.id)
          .execute();
      }
    }
    return result;
  });
}

/** Re-seals the signing secrets of webhook deliveries in the outbox. */
async function rotateDeliverySecrets(db: Kysely<Database>, box: SecretBox): Promise<TableRotation> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('notificationDeliveries')
      .select(['id', 'projectId', 'signingSecret'])
      .where('signingSecret', 'is not', null)
      .execute();
    const result: TableRotation = {
      table: 'notification_deliveries',
      resealed: 0,
      alreadyCurrent: 0,
    };
    for (const row of rows) {
      const sealed = row.signingSecret;
      if (sealed === null || !isSealed(sealed) || row.projectId === null) {
        continue;
      }
      if (!box.needsRotation(sealed)) {
        result.alreadyCurrent += 1;
        continue;
      }
      const where = `notification_deliveries row ${row.id}`;
      const signingSecret = reseal(box, sealed, webhookSecretContext(Number(row.projectId)), where);
      await trx
        .updateTable('notificationDeliveries')
        .set({ signingSecret })
        .where('id', '=', row.id)
        .execute();
      result.resealed += 1;
    }
    return result;
  });
}

/**
 * Re-seals every sealed value with the box's current key, reading values sealed with a
 * previous key, and calls `onTable` after each table commits. Each table is rewritten in one
 * transaction, so a value that opens with no configured key (or with the wrong context) rolls
 * that table back and raises. Tables finished before it stay re-sealed.
 * @throws SecretBoxError naming the row whose value cannot be opened, and the table left as it was.
 */
export async function rotateSecrets(
  db: Kysely<Database>,
  box: SecretBox,
  onTable: (rotation: TableRotation) => void = () => undefined,
): Promise<TableRotation[]> {
  const results: TableRotation[] = [];
  for (const rotate of [
    rotateInstanceSecrets,
    rotateAuthenticators,
    rotateRuleSecrets,
    rotateDeliverySecrets,
  ]) {
    const result = await rotate(db, box);
    results.push(result);
    onTable(result);
  }
  return results;
}
