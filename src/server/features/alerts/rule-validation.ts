import { z } from 'zod';

import {
  ACTION_IDS,
  RULE_CATALOG,
  type AlertRuleInput,
  type RuleCatalogEntry,
  type RuleNode,
} from '../../../shared/api/alerts.js';
import { ValidationError } from '../../platform/errors.js';
import { blockedAddressReason } from '../../platform/outbound/address-policy.js';
import type { OutboundAllowList } from '../../platform/outbound/allow-list.js';

/** Sentry's action interval choices are 5 minutes to 30 days; any whole number between is taken. */
export const MIN_FREQUENCY = 5;
export const MAX_FREQUENCY = 43_200;
const MAX_NODES = 50;
const MAX_TEXT = 1_000;

const matchSchema = z.enum(['all', 'any', 'none']);
const nodeSchema = z.looseObject({ id: z.string() });

const bodySchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(256, 'Expected at most 256 characters.'),
  environment: z.string().trim().max(64).nullish(),
  actionMatch: matchSchema,
  filterMatch: matchSchema.optional(),
  frequency: z.coerce
    .number()
    .int('Expected a whole number of minutes.')
    .min(MIN_FREQUENCY, `Expected ${MIN_FREQUENCY} to ${MAX_FREQUENCY} minutes.`)
    .max(MAX_FREQUENCY, `Expected ${MIN_FREQUENCY} to ${MAX_FREQUENCY} minutes.`),
  conditions: z
    .array(nodeSchema)
    .min(1, 'Add at least one condition.')
    .max(MAX_NODES, `Expected at most ${MAX_NODES} conditions.`),
  filters: z.array(nodeSchema).max(MAX_NODES, `Expected at most ${MAX_NODES} filters.`).optional(),
  actions: z
    .array(nodeSchema)
    .min(1, 'Add at least one action.')
    .max(MAX_NODES, `Expected at most ${MAX_NODES} actions.`),
  owner: z
    .string()
    .regex(/^(user|team):\d+$/)
    .nullish(),
  status: z.enum(['active', 'disabled']).optional(),
});

const previewSchema = bodySchema.pick({
  environment: true,
  actionMatch: true,
  filterMatch: true,
  conditions: true,
  filters: true,
});

/** A validated rule body with catalog nodes whose fields are of the right types. */
export interface ValidRule {
  name: string;
  environment: string | null;
  actionMatch: 'all' | 'any' | 'none';
  filterMatch: 'all' | 'any' | 'none';
  frequency: number;
  conditions: RuleNode[];
  filters: RuleNode[];
  actions: RuleNode[];
  owner: string | null;
  status: 'active' | 'disabled';
}

/** Teams and members of the rule's organization, for the e-mail action's target. */
export interface RuleTargets {
  teamIds: ReadonlySet<number>;
  userIds: ReadonlySet<number>;
  /** `PICKET_OUTBOUND_ALLOW`; without it, every private address in a URL is refused. */
  outboundAllow?: OutboundAllowList;
}

type FieldErrors = Record<string, string[]>;

function addError(errors: FieldErrors, field: string, message: string) {
  (errors[field] ??= []).push(message);
}

function zodFields(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    addError(errors, issue.path.map(String).join('.') || 'body', issue.message);
  }
  return errors;
}

/** Checks one node against its catalog entry and returns it with its fields normalized. */
function checkNode(
  entry: RuleCatalogEntry,
  node: RuleNode,
  where: string,
  errors: FieldErrors,
): RuleNode {
  const clean: RuleNode = { id: node.id };
  for (const [name, spec] of Object.entries(entry.fields)) {
    const value = node[name];
    const field = `${where}.${name}`;
    if (spec.type === 'number') {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number)) {
        addError(errors, field, 'Expected a whole number.');
      } else if (
        (spec.min !== undefined && number < spec.min) ||
        (spec.max !== undefined && number > spec.max)
      ) {
        addError(errors, field, `Expected a number from ${spec.min ?? '-'} to ${spec.max ?? '-'}.`);
      } else {
        clean[name] = number;
      }
    } else if (spec.type === 'choice') {
      // Sentry's clients leave the e-mail action's fallthrough out for team and member targets.
      const given = name === 'fallthroughType' && value === undefined ? 'ActiveMembers' : value;
      const text = typeof given === 'number' ? String(given) : given;
      if (typeof text !== 'string' || !spec.choices.some(([choice]) => choice === text)) {
        addError(
          errors,
          field,
          `Expected one of ${spec.choices.map(([choice]) => choice).join(', ')}.`,
        );
      } else {
        clean[name] = text;
      }
    } else if (value === undefined || value === null || value === '') {
      if (spec.optional !== true) {
        addError(errors, field, 'This field is required.');
      }
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      addError(errors, field, 'Expected text.');
    } else if (String(value).length > MAX_TEXT) {
      addError(errors, field, `Expected at most ${MAX_TEXT} characters.`);
    } else {
      clean[name] = String(value);
    }
  }
  return clean;
}

/** Checks whether a URL parses and uses http or https. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function hasCredentials(text: string): boolean {
  const url = new URL(text);
  return url.username !== '' || url.password !== '';
}

function checkNodes(
  kind: 'conditions' | 'filters' | 'actions',
  nodes: readonly RuleNode[],
  errors: FieldErrors,
): RuleNode[] {
  const catalog = new Map(RULE_CATALOG[kind].map((entry) => [entry.id, entry]));
  const unknown = nodes.filter((node) => !catalog.has(node.id)).map((node) => node.id);
  if (unknown.length > 0) {
    addError(errors, kind, `Unknown ids: ${unknown.map((id) => JSON.stringify(id)).join(', ')}.`);
    return [];
  }
  return nodes.map((node, index) => {
    const entry = catalog.get(node.id) as RuleCatalogEntry;
    return checkNode(entry, node, `${kind}.${index}`, errors);
  });
}

function checkAction(
  action: RuleNode,
  index: number,
  targets: RuleTargets | undefined,
  errors: FieldErrors,
): void {
  const where = `actions.${index}`;
  if (action.id === ACTION_IDS.email) {
    const type = action.targetType;
    const target = action.targetIdentifier;
    if (type === 'IssueOwners') {
      delete action.targetIdentifier;
      return;
    }
    const id = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : undefined;
    if (id === undefined) {
      addError(errors, `${where}.targetIdentifier`, `Expected the id of a ${String(type)}.`);
      return;
    }
    const known = type === 'Team' ? targets?.teamIds : targets?.userIds;
    if (known !== undefined && !known.has(id)) {
      addError(
        errors,
        `${where}.targetIdentifier`,
        type === 'Team'
          ? 'No team of this organization has this id.'
          : 'No member of this organization has this id.',
      );
    }
    return;
  }
  const url = action.url;
  if (typeof url === 'string' && !isHttpUrl(url)) {
    addError(errors, `${where}.url`, 'Expected an http or https URL.');
  } else if (typeof url === 'string' && hasCredentials(url)) {
    // The delivery loop rejects such URLs, so accepting them would only store a rule that fails.
    addError(errors, `${where}.url`, 'Expected a URL without user name or password.');
  } else if (typeof url === 'string') {
    const hostError = privateHostError(url, targets?.outboundAllow);
    if (hostError !== undefined) {
      addError(errors, `${where}.url`, hostError);
    }
  }
}

/**
 * Refuses a URL whose host is a private, loopback or link-local address written out (or
 * `localhost`), unless `PICKET_OUTBOUND_ALLOW` lets it through, so that such a rule fails when
 * it is saved rather than at its first delivery. Host names are resolved only when sending,
 * where the delivery loop checks every address again.
 */
function privateHostError(text: string, allow: OutboundAllowList | undefined): string | undefined {
  const hostname = new URL(text).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (allow?.allowsHost(hostname) === true) {
    return undefined;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    return `Picket does not send to ${hostname}, a loopback name; allow it with PICKET_OUTBOUND_ALLOW.`;
  }
  const reason = blockedAddressReason(hostname);
  if (reason === undefined || reason === 'not a valid IP address') {
    return undefined;
  }
  if (allow?.allowsAddress(hostname) === true) {
    return undefined;
  }
  return `Picket does not send to ${hostname}, ${reason}; allow it with PICKET_OUTBOUND_ALLOW.`;
}

function fail(errors: FieldErrors): never {
  const [first] = Object.entries(errors);
  const detail = first === undefined ? 'Invalid rule' : `${first[0]}: ${first[1].join(' ')}`;
  throw new ValidationError(detail, errors);
}

/**
 * Validates a rule body against the catalog: unknown ids are named, fields are checked by type,
 * choice and range, and e-mail targets must be teams or members of the organization.
 * @throws ValidationError with Sentry's `{field: [message]}` errors.
 */
export function parseRuleInput(body: unknown, targets?: RuleTargets): ValidRule {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    fail(zodFields(parsed.error));
  }
  const input = parsed.data;
  const errors: FieldErrors = {};
  const conditions = checkNodes('conditions', input.conditions, errors);
  const filters = checkNodes('filters', input.filters ?? [], errors);
  const actions = checkNodes('actions', input.actions, errors);
  actions.forEach((action, index) => {
    checkAction(action, index, targets, errors);
    const sent = input.actions[index]?.secret;
    if (action.id === ACTION_IDS.webhook && typeof sent === 'string' && sent !== '') {
      if (sent.length < 16 || sent.length > 256) {
        addError(errors, `actions.${index}.secret`, 'Expected 16 to 256 characters.');
      } else {
        action.secret = sent;
      }
    }
  });
  if (Object.keys(errors).length > 0) {
    fail(errors);
  }
  return {
    name: input.name,
    environment:
      input.environment === undefined || input.environment === '' ? null : input.environment,
    actionMatch: input.actionMatch,
    filterMatch: input.filterMatch ?? 'all',
    frequency: input.frequency,
    conditions,
    filters,
    actions,
    owner: input.owner ?? null,
    status: input.status ?? 'active',
  };
}

/** A validated preview body: the parts of a rule that decide which issues it fires for. */
export type ValidPreview = Pick<
  ValidRule,
  'environment' | 'actionMatch' | 'filterMatch' | 'conditions' | 'filters'
>;

/**
 * Validates the body of `POST .../rules/preview/`.
 * @throws ValidationError with Sentry's `{field: [message]}` errors.
 */
export function parsePreviewInput(body: unknown): ValidPreview {
  const parsed = previewSchema.safeParse(body);
  if (!parsed.success) {
    fail(zodFields(parsed.error));
  }
  const errors: FieldErrors = {};
  const conditions = checkNodes('conditions', parsed.data.conditions, errors);
  const filters = checkNodes('filters', parsed.data.filters ?? [], errors);
  if (Object.keys(errors).length > 0) {
    fail(errors);
  }
  return {
    environment: parsed.data.environment ?? null,
    actionMatch: parsed.data.actionMatch,
    filterMatch: parsed.data.filterMatch ?? 'all',
    conditions,
    filters,
  };
}

export type { AlertRuleInput };
