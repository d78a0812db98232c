import {
  ACTION_IDS,
  RULE_CATALOG,
  type AlertRule,
  type AlertRuleInput,
  type AlertRulePreviewInput,
  type RuleCatalogEntry,
  type RuleConfiguration,
  type RuleFieldSpec,
  type RuleMatch,
  type RuleNode,
} from '../../../shared/api/alerts';
import { findCatalogEntry } from './rule-template';

/** Choices of the action interval, in minutes, as Sentry's editor offers them. */
export const ACTION_INTERVALS: readonly [number, string][] = [
  [5, '5 minutes'],
  [10, '10 minutes'],
  [30, '30 minutes'],
  [60, '1 hour'],
  [180, '3 hours'],
  [720, '12 hours'],
  [1_440, '24 hours'],
  [10_080, '1 week'],
  [43_200, '30 days'],
];

export const DEFAULT_FREQUENCY = 30;

/** The rule being edited. Field values stay as the inputs hold them until `draftToInput`. */
export interface RuleDraft {
  name: string;
  projectSlug: string;
  /** Empty for every environment. */
  environment: string;
  actionMatch: RuleMatch;
  filterMatch: RuleMatch;
  frequency: number;
  conditions: RuleNode[];
  filters: RuleNode[];
  actions: RuleNode[];
  status: 'active' | 'disabled';
}

export function newRuleDraft(projectSlug: string): RuleDraft {
  return {
    name: '',
    projectSlug,
    environment: '',
    actionMatch: 'all',
    filterMatch: 'all',
    frequency: DEFAULT_FREQUENCY,
    conditions: [],
    filters: [],
    actions: [],
    status: 'active',
  };
}

export function draftFromRule(rule: AlertRule): RuleDraft {
  return {
    name: rule.name,
    projectSlug: rule.projects[0] ?? '',
    environment: rule.environment ?? '',
    actionMatch: rule.actionMatch,
    filterMatch: rule.filterMatch,
    frequency: rule.frequency,
    conditions: rule.conditions.map((node) => ({ ...node })),
    filters: rule.filters.map((node) => ({ ...node })),
    actions: rule.actions.map((node) => ({ ...node })),
    status: rule.status,
  };
}

/**
 * Creates a node of a catalog entry with a starting value per field: the catalog's default or
 * else the first choice of a choice, the placeholder of a number (such as 100 events), and empty text.
 */
export function createNode(entry: RuleCatalogEntry): RuleNode {
  const node: RuleNode = { id: entry.id };

  for (const [name, spec] of Object.entries(entry.fields)) {
    if (spec.type === 'choice') {
      node[name] = spec.default ?? spec.choices[0]?.[0] ?? '';
    } else if (spec.type === 'number') {
      node[name] = spec.placeholder ?? String(spec.min ?? 0);
    } else {
      node[name] = '';
    }
  }
  return node;
}

/**
 * Converts a node's input values to the API's types: numbers for number fields (text that is
 * not a number stays, for the server to reject with its message), trimmed text, and optional
 * text left out when empty. Fields the catalog does not list, such as a webhook's `secret`,
 * are kept so that saving does not change them.
 */
export function normalizeNode(node: RuleNode, entry: RuleCatalogEntry | undefined): RuleNode {
  if (entry === undefined) {
    return { ...node };
  }

  const isEmailToAssignee = node.id === ACTION_IDS.email && node.targetType === 'IssueOwners';
  const fields = Object.entries(node).flatMap(([name, value]): [string, unknown][] => {
    const spec = entry.fields[name];
    if (name === 'id' || spec === undefined) {
      return [[name, value]];
    }
    if (isEmailToAssignee && name === 'targetIdentifier') {
      return [];
    }

    const normalized = normalizeValue(spec, value);
    const isOptional = spec.type === 'string' && spec.optional === true;
    return isOptional && normalized === '' ? [] : [[name, normalized]];
  });
  return { ...Object.fromEntries(fields), id: node.id };
}

function normalizeValue(spec: RuleFieldSpec, value: unknown): unknown {
  // Rules written through the API by other clients may hold ids as numbers.
  if (spec.type === 'string' && typeof value === 'number') {
    return String(value);
  }
  if (typeof value !== 'string') {
    return value;
  }
  if (spec.type === 'number' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : value;
  }
  return value.trim();
}

function normalizeNodes(nodes: RuleNode[], entries: readonly RuleCatalogEntry[]): RuleNode[] {
  return nodes.map((node) => normalizeNode(node, findCatalogEntry(entries, node.id)));
}

/** Builds the body of `POST` and `PUT .../rules/` from the draft. */
export function draftToInput(
  draft: RuleDraft,
  catalog: RuleConfiguration = RULE_CATALOG,
): AlertRuleInput {
  return {
    name: draft.name.trim(),
    environment: draft.environment === '' ? null : draft.environment,
    actionMatch: draft.actionMatch,
    filterMatch: draft.filterMatch,
    frequency: draft.frequency,
    conditions: normalizeNodes(draft.conditions, catalog.conditions),
    filters: normalizeNodes(draft.filters, catalog.filters),
    actions: normalizeNodes(draft.actions, catalog.actions),
    status: draft.status,
  };
}

/** Builds the body of `POST .../rules/preview/`: the parts of the draft that choose issues. */
export function draftToPreviewInput(
  draft: RuleDraft,
  catalog: RuleConfiguration = RULE_CATALOG,
): AlertRulePreviewInput {
  return {
    conditions: normalizeNodes(draft.conditions, catalog.conditions),
    filters: normalizeNodes(draft.filters, catalog.filters),
    actionMatch: draft.actionMatch,
    filterMatch: draft.filterMatch,
    frequency: draft.frequency,
    environment: draft.environment === '' ? null : draft.environment,
  };
}
