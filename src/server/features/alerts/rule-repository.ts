import { randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import { ACTION_IDS, type AlertRule, type RuleNode } from '../../../shared/api/alerts.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import { describeTarget } from '../notifications/deliveries.js';
import { webhookSecretContext } from '../secrets/secret-contexts.js';
import type { RuleTargets, ValidRule } from './rule-validation.js';

/** A stored rule with its parsed nodes; webhook secrets in `actions` are still sealed. */
export interface RuleRecord {
  id: number;
  projectId: number;
  projectSlug: string;
  name: string;
  environment: string | null;
  actionMatch: 'all' | 'any' | 'none';
  filterMatch: 'all' | 'any' | 'none';
  frequency: number;
  conditions: RuleNode[];
  filters: RuleNode[];
  actions: RuleNode[];
  status: 'active' | 'disabled';
  owner: string | null;
  createdAt: number;
  lastTriggered: number | null;
  createdBy: { id: number; name: string; email: string } | null;
}

function parseNodes(text: string): RuleNode[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as RuleNode[]) : [];
  } catch {
    return [];
  }
}

type Match = RuleRecord['actionMatch'];

/** Turns a joined row into a record. */
export function toRuleRecord(row: {
  id: number;
  projectId: number;
  projectSlug: string;
  name: string;
  environment: string | null;
  actionMatch: string;
  filterMatch: string;
  frequencyMinutes: number;
  conditions: string;
  filters: string;
  actions: string;
  status: string;
  owner: string | null;
  createdAt: number;
  lastTriggered: number | null;
  createdById?: number | null;
  createdByName?: string | null;
  createdByEmail?: string | null;
}): RuleRecord {
  return {
    id: Number(row.id),
    projectId: Number(row.projectId),
    projectSlug: row.projectSlug,
    name: row.name,
    environment: row.environment,
    actionMatch: row.actionMatch as Match,
    filterMatch: row.filterMatch as Match,
    frequency: Number(row.frequencyMinutes),
    conditions: parseNodes(row.conditions),
    filters: parseNodes(row.filters),
    actions: parseNodes(row.actions),
    status: row.status === 'disabled' ? 'disabled' : 'active',
    owner: row.owner,
    createdAt: Number(row.createdAt),
    lastTriggered: row.lastTriggered === null ? null : Number(row.lastTriggered),
    createdBy:
      row.createdById === null || row.createdById === undefined
        ? null
        : {
            id: Number(row.createdById),
            name: row.createdByName ?? '',
            email: row.createdByEmail ?? '',
          },
  };
}

/** The columns of a rule and its project's slug, for queries joining `projects`. */
export const RULE_COLUMNS = [
  'alertRules.id',
  'alertRules.projectId',
  'projects.slug as projectSlug',
  'alertRules.name',
  'alertRules.environment',
  'alertRules.actionMatch',
  'alertRules.filterMatch',
  'alertRules.frequencyMinutes',
  'alertRules.conditions',
  'alertRules.filters',
  'alertRules.actions',
  'alertRules.status',
  'alertRules.owner',
  'alertRules.createdAt',
  'alertRules.lastTriggered',
] as const;

/** Reads and writes the `alert_rules` of projects. */
export class RuleRepository {
  readonly #db: Kysely<Database>;
  readonly #box: SecretBox;

  constructor(db: Kysely<Database>, box: SecretBox) {
    this.#db = db;
    this.#box = box;
  }

  #select(db: Kysely<Database> = this.#db) {
    return db
      .selectFrom('alertRules')
      .innerJoin('projects', 'projects.id', 'alertRules.projectId')
      .leftJoin('users', 'users.id', 'alertRules.createdBy')
      .select([
        ...RULE_COLUMNS,
        'users.id as createdById',
        'users.name as createdByName',
        'users.email as createdByEmail',
      ]);
  }

  async list(projectIds: readonly number[]): Promise<RuleRecord[]> {
    if (projectIds.length === 0) {
      return [];
    }
    const rows = await this.#select()
      .where('alertRules.projectId', 'in', [...projectIds])
      .orderBy('alertRules.id', 'desc')
      .execute();
    return rows.map(toRuleRecord);
  }

  async find(projectId: number, ruleId: string): Promise<RuleRecord | undefined> {
    if (!/^\d{1,15}$/.test(ruleId)) {
      return undefined;
    }
    const row = await this.#select()
      .where('alertRules.projectId', '=', projectId)
      .where('alertRules.id', '=', Number(ruleId))
      .executeTakeFirst();
    return row === undefined ? undefined : toRuleRecord(row);
  }

  /** Seals webhook secrets (making one when the action has none) for storage. */
  #sealActions(projectId: number, actions: readonly RuleNode[], previous: readonly RuleNode[]) {
    const context = webhookSecretContext(projectId);
    return actions.map((action) => {
      if (action.id !== ACTION_IDS.webhook) {
        return action;
      }
      let secret = typeof action.secret === 'string' ? action.secret : undefined;
      // An edit that leaves the secret out keeps the one of the same URL.
      secret ??= this.openSecret(
        projectId,
        previous.find((old) => old.id === ACTION_IDS.webhook && old.url === action.url)?.secret,
      );
      secret ??= randomBytes(32).toString('hex');
      return { ...action, secret: this.#box.seal(secret, context) };
    });
  }

  /** Opens a sealed webhook secret; undefined when there is none or it does not open. */
  openSecret(projectId: number, sealed: unknown): string | undefined {
    if (typeof sealed !== 'string') {
      return undefined;
    }
    try {
      return this.#box.open(sealed, webhookSecretContext(projectId));
    } catch {
      return undefined;
    }
  }

  async create(projectId: number, rule: ValidRule, userId: number | null): Promise<number> {
    const now = Date.now();
    const row = await this.#db
      .insertInto('alertRules')
      .values({
        projectId,
        ...columns(rule),
        actions: JSON.stringify(this.#sealActions(projectId, rule.actions, [])),
        createdBy: userId,
        createdAt: now,
        updatedAt: now,
        lastTriggered: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async update(existing: RuleRecord, rule: ValidRule): Promise<void> {
    await this.#db
      .updateTable('alertRules')
      .set({
        ...columns(rule),
        actions: JSON.stringify(
          this.#sealActions(existing.projectId, rule.actions, existing.actions),
        ),
        updatedAt: Date.now(),
      })
      .where('id', '=', existing.id)
      .execute();
  }

  async delete(ruleId: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('alertRuleIssues').where('ruleId', '=', ruleId).execute();
      await trx.deleteFrom('alertFirings').where('ruleId', '=', ruleId).execute();
      await trx.deleteFrom('alertRules').where('id', '=', ruleId).execute();
    });
  }

  /** Loads the organization's team ids and member user ids, for e-mail action targets. */
  async loadTargets(organizationId: number): Promise<RuleTargets> {
    const teams = await this.#db
      .selectFrom('teams')
      .select('id')
      .where('organizationId', '=', organizationId)
      .execute();
    const members = await this.#db
      .selectFrom('organizationMembers')
      .select('userId')
      .where('organizationId', '=', organizationId)
      .execute();
    return {
      teamIds: new Set(teams.map((row) => Number(row.id))),
      userIds: new Set(members.map((row) => Number(row.userId))),
    };
  }

  #openAction(projectId: number, action: RuleNode): RuleNode {
    return action.id === ACTION_IDS.webhook
      ? { ...action, secret: this.openSecret(projectId, action.secret) ?? null }
      : action;
  }

  /**
   * Serializes a rule in Sentry's shape. For a caller who may change the rule, webhook secrets
   * are opened. For a reader, secrets are null and action URLs are cut to scheme, host and first
   * path segment, because Slack, Discord and Teams URLs carry their token in the path.
   */
  serialize(rule: RuleRecord, view: { canWrite: boolean }): AlertRule {
    return {
      id: String(rule.id),
      name: rule.name,
      environment: rule.environment,
      actionMatch: rule.actionMatch,
      filterMatch: rule.filterMatch,
      frequency: rule.frequency,
      conditions: rule.conditions,
      filters: rule.filters,
      actions: rule.actions.map((action) =>
        view.canWrite ? this.#openAction(rule.projectId, action) : readerAction(action),
      ),
      owner: rule.owner,
      status: rule.status,
      projects: [rule.projectSlug],
      dateCreated: new Date(rule.createdAt).toISOString(),
      createdBy: rule.createdBy,
      lastTriggered:
        rule.lastTriggered === null ? null : new Date(rule.lastTriggered).toISOString(),
      snooze: false,
    };
  }
}

function readerAction(action: RuleNode): RuleNode {
  const hidden: RuleNode = { ...action };
  if (typeof action.url === 'string') {
    hidden.url = describeTarget('webhook', action.url);
  }
  if (action.id === ACTION_IDS.webhook) {
    hidden.secret = null;
  }
  return hidden;
}

function columns(rule: ValidRule) {
  return {
    name: rule.name,
    environment: rule.environment,
    actionMatch: rule.actionMatch,
    filterMatch: rule.filterMatch,
    frequencyMinutes: rule.frequency,
    conditions: JSON.stringify(rule.conditions),
    filters: JSON.stringify(rule.filters),
    status: rule.status,
    owner: rule.owner,
  };
}
